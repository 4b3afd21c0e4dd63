// One JSON POST to a model server, retried with backoff when the failure is likely to pass
// (429, 5xx, timeouts, dropped connections) and failed at once, with advice, when it is not.
import { setTimeout as delay } from 'node:timers/promises';
import { ModelError } from '../errors.js';

/** Waits `ms`; injectable so tests do not wait. May ignore the signal: the caller races it anyway. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
export type Fetch = typeof fetch;

export interface RetryOptions {
  /** Retries after the first attempt. Default 4 (so 5 attempts). */
  maxRetries?: number;
  /** The first backoff ceiling; it doubles per retry. Default 500 ms. */
  baseDelayMs?: number;
  /** The backoff ceiling never exceeds this. Default 30 s. */
  maxDelayMs?: number;
  /** Per attempt, covering the whole reply body. Default 120 s. */
  timeoutMs?: number;
  sleep?: Sleep;
  /** Jitter source in [0, 1). */
  random?: () => number;
  fetch?: Fetch;
}

/** Who is being called, for the error messages. Provider configs from spec.ts fit this shape. */
export interface Endpoint {
  id: string;
  baseUrl: string;
  apiKey: string | undefined;
  keyEnv: string | undefined;
  unreachableHint: string;
}

export interface JsonPost {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_BASE_DELAY_MS = 500;
const DEFAULT_MAX_DELAY_MS = 30_000;
/** A server asking for a longer pause than this is waited on for this long only; an interactive user would rather see the error. */
const MAX_RETRY_AFTER_MS = 120_000;

const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

type Failure =
  | { kind: 'http'; status: number; detail: string; retryAfterMs: number | undefined }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string; cause: unknown };

type Attempt = { kind: 'ok'; body: unknown } | { kind: 'retry'; failure: Failure } | { kind: 'fail'; error: ModelError };

/** Posts `post.body` as JSON and returns the parsed JSON reply, or throws a ModelError that says what to do. */
export async function postJson(endpoint: Endpoint, post: JsonPost, options: RetryOptions = {}): Promise<unknown> {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sleep = options.sleep ?? defaultSleep;
  const fetchImpl = options.fetch ?? fetch;
  let lastFailure: Failure | undefined;
  let attempts = 0;
  while (attempts <= maxRetries) {
    if (post.signal?.aborted) throw abortedError(endpoint);
    attempts += 1;
    const outcome = await attemptOnce(endpoint, post, fetchImpl, timeoutMs);
    if (outcome.kind === 'ok') return outcome.body;
    if (outcome.kind === 'fail') throw outcome.error;
    lastFailure = outcome.failure;
    if (attempts > maxRetries) break;
    const backoff = backoffDelay(attempts - 1, {
      baseDelayMs: options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
      random: options.random ?? Math.random,
    });
    const asked = lastFailure.kind === 'http' ? lastFailure.retryAfterMs : undefined;
    await waitUnlessAborted(asked === undefined ? backoff : Math.min(asked, MAX_RETRY_AFTER_MS), sleep, post.signal, endpoint);
  }
  throw exhaustedError(endpoint, lastFailure ?? { kind: 'timeout' }, attempts, timeoutMs);
}

/** Full jitter: a uniform pick in [0, min(max, base * 2^retry)), so many clients do not retry in step. */
export function backoffDelay(retry: number, policy: { baseDelayMs: number; maxDelayMs: number; random: () => number }): number {
  return policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
}

/** The pause a server asked for: `retry-after-ms` (OpenAI), else `retry-after` in seconds or as an HTTP date. */
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

async function attemptOnce(endpoint: Endpoint, post: JsonPost, fetchImpl: Fetch, timeoutMs: number): Promise<Attempt> {
  // One controller per attempt: the timeout aborts this attempt only, the caller's signal aborts all.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort();
  post.signal?.addEventListener('abort', onAbort, { once: true });
  if (post.signal?.aborted) controller.abort();
  try {
    const response = await fetchImpl(post.url, {
      method: 'POST',
      headers: post.headers,
      body: JSON.stringify(post.body),
      signal: controller.signal,
    });
    const text = await response.text();
    return classifyResponse(endpoint, post.url, response, text);
  } catch (error) {
    if (post.signal?.aborted) return { kind: 'fail', error: abortedError(endpoint, error) };
    const code = networkErrorCode(error);
    // undici's own header/body timeouts (300 s) count as timeouts too, for timeoutMs beyond them.
    if (timedOut || /^UND_ERR_(HEADERS|BODY)_TIMEOUT$/.test(code)) return { kind: 'retry', failure: { kind: 'timeout' } };
    return { kind: 'retry', failure: { kind: 'network', code, cause: error } };
  } finally {
    clearTimeout(timer);
    post.signal?.removeEventListener('abort', onAbort);
  }
}

function classifyResponse(endpoint: Endpoint, url: string, response: Response, text: string): Attempt {
  const { status } = response;
  if (status >= 200 && status < 300) {
    try {
      return { kind: 'ok', body: JSON.parse(text) };
    } catch {
      return {
        kind: 'fail',
        error: new ModelError(
          `${endpoint.id}: the server answered ${status} but not with JSON (${quote(text)}): check that ${endpoint.baseUrl} is the API's base URL`,
          { code: 'response', status, hint: `check that ${endpoint.baseUrl} is the API's base URL` },
        ),
      };
    }
  }
  const detail = serverDetail(text);
  if (isRetryableStatus(status)) {
    return { kind: 'retry', failure: { kind: 'http', status, detail, retryAfterMs: requestedRetryDelay(response.headers) } };
  }
  return { kind: 'fail', error: rejectionError(endpoint, url, status, detail) };
}

/** 408/409/425 are transient by definition, 429 is a rate limit, 5xx (and Anthropic's 529) are server trouble. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

function rejectionError(endpoint: Endpoint, url: string, status: number, detail: string): ModelError {
  const said = detail ? ` (server: ${detail})` : '';
  const keyEnv = endpoint.keyEnv ?? 'OPENAI_API_KEY';
  let message: string;
  let hint: string;
  if (status === 401 && endpoint.apiKey) {
    hint = `check ${keyEnv}`;
    message = `the provider rejected the API key (401): ${hint}`;
  } else if (status === 401) {
    hint = endpoint.keyEnv ? `export ${keyEnv}` : `use openai-compatible:<model>@<url> with ${keyEnv} set`;
    message = `the server wants an API key (401): ${hint}`;
  } else if (status === 403) {
    hint = `check that the key in ${keyEnv} may use this model`;
    message = `the provider refused access (403): ${hint}${said}`;
  } else if (status === 404) {
    hint = 'check the model name and the base URL';
    message = `nothing found at ${url} (404): ${hint}${said}`;
  } else {
    hint = 'check the model name and the request parameters';
    message = `the provider rejected the request (${status}): ${detail || hint}`;
  }
  return new ModelError(`${endpoint.id}: ${message}`, { code: 'http', status, hint });
}

function exhaustedError(endpoint: Endpoint, failure: Failure, attempts: number, timeoutMs: number): ModelError {
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  switch (failure.kind) {
    case 'http': {
      if (failure.status === 429) {
        const hint = 'wait a while, or make fewer requests at once';
        return new ModelError(`${endpoint.id}: still rate-limited (HTTP 429 after ${tries}): ${hint}`, { code: 'http', status: 429, hint });
      }
      const said = failure.detail ? `: ${failure.detail}` : '';
      return new ModelError(`${endpoint.id}: the server kept failing (HTTP ${failure.status} after ${tries})${said}`, {
        code: 'http',
        status: failure.status,
        hint: 'try again later or use another --model',
      });
    }
    case 'timeout': {
      const hint = 'raise the timeout or check the server';
      return new ModelError(`${endpoint.id}: no reply within ${formatSeconds(timeoutMs)} (${tries}): ${hint}`, { code: 'timeout', hint });
    }
    case 'network':
      if (DROPPED_CONNECTION.has(failure.code)) {
        const hint = 'the server or a proxy closes connections; try again later or check the server log';
        return new ModelError(`${endpoint.id}: the connection to ${endpoint.baseUrl} kept dropping (${failure.code}): ${hint}`, {
          code: 'network',
          hint,
          cause: failure.cause,
        });
      }
      return new ModelError(`${endpoint.id}: cannot reach ${endpoint.baseUrl} (${failure.code}): ${endpoint.unreachableHint}`, {
        code: 'network',
        hint: endpoint.unreachableHint,
        cause: failure.cause,
      });
  }
}

export function abortedError(endpoint: { id: string }, cause?: unknown): ModelError {
  return new ModelError(`${endpoint.id}: the request was cancelled`, { code: 'aborted', cause });
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

/** The server was reached but hung up mid-exchange: "cannot reach" would send the user looking in the wrong place. */
const DROPPED_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** undici reports `fetch failed` with the socket error (ECONNREFUSED, ENOTFOUND ...) as its cause. */
function networkErrorCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const candidates = [cause, ...(cause instanceof AggregateError ? cause.errors : []), error];
  for (const candidate of candidates) {
    if (typeof candidate === 'object' && candidate !== null && 'code' in candidate && typeof candidate.code === 'string') {
      return candidate.code;
    }
  }
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The server's own error text: OpenAI and Anthropic `{error: {message}}`, Ollama `{error: "..."}`, vLLM `{message}`. */
function serverDetail(text: string): string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return oneLine(text);
  }
  if (typeof data === 'object' && data !== null) {
    const record = data as Record<string, unknown>;
    const error = record.error;
    if (typeof error === 'string') return oneLine(error);
    if (typeof error === 'object' && error !== null) {
      const message = (error as Record<string, unknown>).message;
      if (typeof message === 'string') return oneLine(message);
    }
    if (typeof record.message === 'string') return oneLine(record.message);
  }
  return oneLine(text);
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function quote(text: string): string {
  const flat = oneLine(text, 60);
  return flat ? `starts with '${flat}'` : 'empty body';
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
