// One HTTP exchange with a model server: a JSON POST with a per-attempt timeout. It decides
// nothing about retrying; it only says what happened.
export type Fetch = typeof fetch;

export interface JsonPost {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal;
}

export type Exchange =
  | { kind: 'response'; status: number; headers: Headers; text: string }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string; cause: unknown }
  | { kind: 'aborted'; cause: unknown };

/** Sends `post` once; `timeoutMs` covers the whole reply body, and the caller's signal ends it at once. */
export async function sendJson(post: JsonPost, options: { fetch: Fetch; timeoutMs: number }): Promise<Exchange> {
  // One controller per attempt: the timeout aborts this attempt only, the caller's signal aborts all.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = (): void => controller.abort();
  post.signal?.addEventListener('abort', onAbort, { once: true });
  if (post.signal?.aborted) controller.abort();
  try {
    const response = await options.fetch(post.url, {
      method: 'POST',
      headers: post.headers,
      body: JSON.stringify(post.body),
      signal: controller.signal,
    });
    const text = await response.text();
    return { kind: 'response', status: response.status, headers: response.headers, text };
  } catch (error) {
    if (post.signal?.aborted) return { kind: 'aborted', cause: error };
    const code = networkErrorCode(error);
    // undici's own header/body timeouts (300 s) count as timeouts too, for timeoutMs beyond them.
    if (timedOut || /^UND_ERR_(HEADERS|BODY)_TIMEOUT$/.test(code)) return { kind: 'timeout' };
    return { kind: 'network', code, cause: error };
  } finally {
    clearTimeout(timer);
    post.signal?.removeEventListener('abort', onAbort);
  }
}

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
