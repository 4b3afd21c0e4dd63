import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { backoffDelay, postJson, requestedRetryDelay, type Endpoint, type Fetch } from '../../src/llm/retry.js';

const ENDPOINT: Endpoint = {
  id: 'openai:test',
  baseUrl: 'http://127.0.0.1:1/v1',
  apiKey: 'k',
  keyEnv: 'OPENAI_API_KEY',
  unreachableHint: 'is the server running?',
};

describe('requestedRetryDelay', () => {
  const headers = (init: Record<string, string>): Headers => new Headers(init);

  it('reads retry-after in seconds, as an HTTP date, and retry-after-ms first', () => {
    expect(requestedRetryDelay(headers({ 'retry-after': '3' }))).toBe(3000);
    expect(requestedRetryDelay(headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(requestedRetryDelay(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now)).toBe(7000);
    expect(requestedRetryDelay(headers({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }), now)).toBe(0);
    expect(requestedRetryDelay(headers({ 'retry-after-ms': '250', 'retry-after': '3' }))).toBe(250);
  });

  it('ignores missing and unreadable values', () => {
    expect(requestedRetryDelay(headers({}))).toBeUndefined();
    expect(requestedRetryDelay(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(requestedRetryDelay(headers({ 'retry-after-ms': '-5' }))).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('draws uniformly below a ceiling that doubles per retry and is capped', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 };
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, policy))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
  });
});

describe('postJson', () => {
  it('retries timeouts and network errors alike, and reports the last failure', async () => {
    let calls = 0;
    const flaky: Fetch = async () => {
      calls += 1;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND nowhere'), { code: 'ENOTFOUND' }) });
    };
    const error = await postJson(ENDPOINT, { url: `${ENDPOINT.baseUrl}/x`, headers: {}, body: {} }, { fetch: flaky, sleep: async () => {}, maxRetries: 2 }).catch(
      (reason: unknown) => reason,
    );
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message).toBe('openai:test: cannot reach http://127.0.0.1:1/v1 (ENOTFOUND): is the server running?');
  });

  it('returns the parsed JSON body of a 2xx reply', async () => {
    const ok: Fetch = async () => new Response('{"a":1}', { status: 200 });
    await expect(postJson(ENDPOINT, { url: 'http://x/y', headers: {}, body: {} }, { fetch: ok })).resolves.toEqual({ a: 1 });
  });

  it('sends a 401 without a key as "the server wants an API key"', async () => {
    const unauthorized: Fetch = async () => new Response('{}', { status: 401 });
    const error = await postJson({ ...ENDPOINT, apiKey: undefined }, { url: 'http://x/y', headers: {}, body: {} }, { fetch: unauthorized }).catch(
      (reason: unknown) => reason,
    );
    expect((error as ModelError).message).toBe('openai:test: the server wants an API key (401): export OPENAI_API_KEY');
  });
});
