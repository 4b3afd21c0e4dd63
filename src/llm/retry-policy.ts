// When to try a model request again, how long to wait, and when to stop: retried with backoff when
// the failure is likely to pass (429, 5xx, timeouts, dropped connections), at once and with advice
// when it is not, and never beyond the request's total deadline.
import { setTimeout as delay } from 'node:timers/promises';
import {
  abortedError,
  exhaustedError,
  isQuotaError,
  notJsonError,
  quotaError,
  rejectionError,
  type Endpoint,
  type Failure,
} from './error-messages.js';
import { readServerError, type ServerError } from './replies.js';
import { sendJson, type Fetch, type JsonPost } from './transport.js';

/** Waits `ms`; injectable so tests do not wait. May ignore the signal: the caller races it anyway. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryOptions {
  /** Retries after the first attempt. Default 4 (so 5 attempts). */
  maxRetries?: number;
  /** The first backoff ceiling; it doubles per retry. Default 500 ms. */
  baseDelayMs?: number;
  /** The backoff ceiling never exceeds this. Default 30 s. */
  maxDelayMs?: number;
  /** Per attempt, covering the whole reply body. Default 120 s. */
  timeoutMs?: number;
  /** All attempts and waits of one request together. Default 5 minutes. */
  deadlineMs?: number;
  sleep?: Sleep;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Clock for the deadline (tests). */
  now?: () => number;
  fetch?: Fetch;
}

export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_DEADLINE_MS = 300_000;
const DEFAULT_BASE_DELAY_MS = 500;
const DEFAULT_MAX_DELAY_MS = 30_000;
/** openai-node and anthropic-sdk-typescript follow a server's retry-after only below 60 s (src/client.ts, retryRequest). */
const MAX_HONOURED_RETRY_AFTER_MS = 60_000;

const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** An error reported inside a 2xx body (OpenRouter), with the HTTP status it stands for. */
export type BodyError = (body: unknown) => { status: number; server: ServerError } | undefined;

type Attempt = { kind: 'ok'; body: unknown } | { kind: 'retry'; failure: Failure; retryAfterMs?: number } | { kind: 'fail'; error: Error };

/** Posts `post.body` as JSON and returns the parsed JSON reply, or throws a ModelError that says what to do. */
export async function postJson(endpoint: Endpoint, post: JsonPost, options: RetryOptions = {}, bodyError?: BodyError): Promise<unknown> {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const deadline = now() + deadlineMs;
  const sleep = options.sleep ?? defaultSleep;
  let lastFailure: Failure | undefined;
  let attempts = 0;
  let deadlineHit = false;
  while (attempts <= maxRetries) {
    if (post.signal?.aborted) throw abortedError(endpoint);
    const remaining = deadline - now();
    if (remaining <= 0 && attempts > 0) {
      deadlineHit = true;
      break;
    }
    attempts += 1;
    const exchange = await sendJson(post, { fetch: options.fetch ?? fetch, timeoutMs: Math.max(1, Math.min(timeoutMs, remaining)) });
    const outcome = classify(endpoint, post.url, exchange, bodyError);
    if (outcome.kind === 'ok') return outcome.body;
    if (outcome.kind === 'fail') throw outcome.error;
    lastFailure = outcome.failure;
    if (attempts > maxRetries) break;
    const backoff = backoffDelay(attempts - 1, {
      baseDelayMs: options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
      random: options.random ?? Math.random,
    });
    const asked = outcome.retryAfterMs;
    const wait = asked !== undefined && asked < MAX_HONOURED_RETRY_AFTER_MS ? asked : backoff;
    if (now() + wait >= deadline) {
      deadlineHit = true;
      break;
    }
    await waitUnlessAborted(wait, sleep, post.signal, endpoint);
  }
  throw exhaustedError(endpoint, lastFailure ?? { kind: 'timeout' }, { attempts, timeoutMs, deadlineMs: deadlineHit ? deadlineMs : undefined });
}

/** Full jitter: a uniform pick in [0, min(max, base * 2^retry)), so many clients do not retry in step. */
export function backoffDelay(retry: number, policy: { baseDelayMs: number; maxDelayMs: number; random: () => number }): number {
  return policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
}

/** The pause a server asked for: `retry-after-ms` (OpenAI, Anthropic), else `retry-after` in seconds or as an HTTP date. */
export function requestedRetryDelay(headers: Headers, now: number = Date.now()): number | undefined {
  const millis = headers.get('retry-after-ms')?.trim();
  if (millis) {
    const value = Number(millis);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after')?.trim();
  if (!after) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Whether a failed status is worth another attempt. `x-should-retry: true|false` decides when the
 * server sends it, as openai-node and anthropic-sdk-typescript do (src/client.ts, shouldRetry);
 * else 408/409/425 are transient by definition, 429 is a rate limit, 5xx (and Anthropic's 529)
 * are server trouble. Quota and billing errors never pass by waiting.
 */
export function shouldRetry(status: number, headers: Headers | undefined, server: ServerError): boolean {
  if (isQuotaError(status, server)) return false;
  const told = headers?.get('x-should-retry')?.trim().toLowerCase();
  if (told === 'true') return true;
  if (told === 'false') return false;
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

function classify(endpoint: Endpoint, url: string, exchange: Awaited<ReturnType<typeof sendJson>>, bodyError: BodyError | undefined): Attempt {
  switch (exchange.kind) {
    case 'aborted':
      return { kind: 'fail', error: abortedError(endpoint, exchange.cause) };
    case 'timeout':
      return { kind: 'retry', failure: { kind: 'timeout' } };
    case 'network':
      return { kind: 'retry', failure: { kind: 'network', code: exchange.code, cause: exchange.cause } };
    case 'response':
      break;
  }
  const { status, headers, text } = exchange;
  if (status >= 200 && status < 300) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { kind: 'fail', error: notJsonError(endpoint, status, text) };
    }
    const inBody = bodyError?.(body);
    if (!inBody) return { kind: 'ok', body };
    return failed(endpoint, url, inBody.status, undefined, inBody.server);
  }
  return failed(endpoint, url, status, headers, readServerError(text));
}

function failed(endpoint: Endpoint, url: string, status: number, headers: Headers | undefined, server: ServerError): Attempt {
  if (shouldRetry(status, headers, server)) {
    return { kind: 'retry', failure: { kind: 'http', status, server }, retryAfterMs: headers ? requestedRetryDelay(headers) : undefined };
  }
  if (isQuotaError(status, server)) return { kind: 'fail', error: quotaError(endpoint, status, server) };
  return { kind: 'fail', error: rejectionError(endpoint, url, status, server) };
}

/** Sleeps, but an abort ends the wait at once, whether or not the injected sleep listens to the signal. */
async function waitUnlessAborted(ms: number, sleep: Sleep, signal: AbortSignal | undefined, endpoint: Endpoint): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) throw abortedError(endpoint);
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(abortedError(endpoint));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms, signal), aborted]);
  } catch (error) {
    // The default sleep rejects with its own AbortError; report ours.
    if (signal.aborted) throw abortedError(endpoint, error);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
