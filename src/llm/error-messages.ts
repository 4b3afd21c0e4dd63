// What ldb tells the user when a model server cannot be used: what happened, the server's own
// words, and what to do about it.
import { ModelError } from '../errors.js';
import type { ServerError } from './replies.js';

/** Who is being called, for the error messages. Provider configs from spec.ts fit this shape. */
export interface Endpoint {
  id: string;
  baseUrl: string;
  apiKey: string | undefined;
  /** The variable the key comes from, named when the server rejects it. */
  keyEnv: string | undefined;
  unreachableHint: string;
}

/** A request the server refused (4xx), with what it said, so a provider can adjust and ask again. */
export class RejectedRequestError extends ModelError {
  constructor(
    message: string,
    readonly server: ServerError,
    options: { hint: string; status: number },
  ) {
    super(message, { code: 'http', ...options });
  }
}

export type Failure =
  | { kind: 'http'; status: number; server: ServerError }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string; cause: unknown };

/**
 * Errors no retry can fix: OpenAI's 429 `insufficient_quota` / `billing_not_active`
 * (https://platform.openai.com/docs/guides/error-codes), Anthropic's 402 `billing_error`, its 400
 * "credit balance is too low" and its 429 with `enforced_spend_limit_reached`
 * (https://docs.anthropic.com/en/api/errors), OpenRouter's 402 "insufficient credits"
 * (https://openrouter.ai/docs/api/reference/errors-and-debugging).
 */
export function isQuotaError(status: number, server: ServerError): boolean {
  const codes = [server.code, server.type];
  if (codes.some((c) => c === 'insufficient_quota' || c === 'billing_not_active' || c === 'enforced_spend_limit_reached')) return true;
  if (server.type === 'billing_error' || status === 402) return true;
  return status === 400 && /credit balance is too low/i.test(server.message);
}

export function quotaError(endpoint: Endpoint, status: number, server: ServerError): ModelError {
  const hint = 'add credits or billing to the account, or use another --model';
  const said = oneLine(server.message);
  return new ModelError(`${endpoint.id}: the account has no quota or credit left (HTTP ${status}): ${said || hint}`, {
    code: 'http',
    status,
    hint,
  });
}

export function rejectionError(endpoint: Endpoint, url: string, status: number, server: ServerError): ModelError {
  if (isQuotaError(status, server)) return quotaError(endpoint, status, server);
  const detail = oneLine(server.message);
  const said = detail ? ` (server: ${detail})` : '';
  const keyEnv = endpoint.keyEnv ?? 'LDB_API_KEY';
  let message: string;
  let hint: string;
  if (status === 401 && endpoint.apiKey) {
    hint = `check ${keyEnv}`;
    message = `the provider rejected the API key (401): ${hint}${said}`;
  } else if (status === 401) {
    hint = `export ${keyEnv}, or name the variable that holds the key with --api-key-env`;
    message = `the server wants an API key (401): ${hint}${said}`;
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
  return new RejectedRequestError(`${endpoint.id}: ${message}`, server, { hint, status });
}

/** How the attempts ended: their count, the per-attempt timeout, and the deadline when it was what stopped them. */
export interface Exhaustion {
  attempts: number;
  timeoutMs: number;
  /** Set when the request deadline ended the retries. */
  deadlineMs?: number;
}

export function exhaustedError(endpoint: Endpoint, failure: Failure, exhaustion: Exhaustion): ModelError {
  const { attempts, timeoutMs, deadlineMs } = exhaustion;
  const deadlineHit = deadlineMs !== undefined;
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}${deadlineHit ? ', when the request deadline ran out' : ''}`;
  switch (failure.kind) {
    case 'http': {
      const said = oneLine(failure.server.message);
      const tail = said ? ` (server: ${said})` : '';
      if (failure.status === 429) {
        const hint = 'wait a while, or make fewer requests at once';
        return new ModelError(`${endpoint.id}: still rate-limited (HTTP 429 after ${tries}): ${hint}${tail}`, { code: 'http', status: 429, hint });
      }
      return new ModelError(`${endpoint.id}: the server kept failing (HTTP ${failure.status} after ${tries})${said ? `: ${said}` : ''}`, {
        code: 'http',
        status: failure.status,
        hint: 'try again later or use another --model',
      });
    }
    case 'timeout': {
      const hint = 'raise --request-timeout / --request-deadline or check the server';
      if (deadlineHit) {
        const count = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
        return new ModelError(`${endpoint.id}: no reply within the request deadline of ${formatSeconds(deadlineMs)} (${count}): ${hint}`, {
          code: 'timeout',
          hint,
        });
      }
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

export function notJsonError(endpoint: Endpoint, status: number, text: string): ModelError {
  const hint = `check that ${endpoint.baseUrl} is the API's base URL`;
  return new ModelError(`${endpoint.id}: the server answered ${status} but not with JSON (${quote(text)}): ${hint}`, {
    code: 'response',
    status,
    hint,
  });
}

export function abortedError(endpoint: { id: string }, cause?: unknown): ModelError {
  return new ModelError(`${endpoint.id}: the request was cancelled`, { code: 'aborted', cause });
}

/** The server was reached but hung up mid-exchange: "cannot reach" would send the user looking in the wrong place. */
const DROPPED_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Server text on one line, without control characters (it ends up on the user's terminal), clipped. */
export function oneLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function quote(text: string): string {
  const flat = oneLine(text, 60);
  return flat ? `starts with '${flat}'` : 'empty body';
}

export function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
