import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import type { Endpoint } from '../../src/llm/error-messages.js';
import { backoffDelay, postJson, requestedRetryDelay, shouldRetry } from '../../src/llm/retry-policy.js';
import type { Fetch } from '../../src/llm/transport.js';

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
    // The message names the endpoint's key variable.
    const error = await postJson({ ...ENDPOINT, apiKey: undefined }, { url: 'http://x/y', headers: {}, body: {} }, { fetch: unauthorized }).catch(
      (reason: unknown) => reason,
    );
    expect((error as ModelError).message).toBe(
      'openai:test: the server wants an API key (401): export OPENAI_API_KEY, or name the variable that holds the key with --api-key-env',
    );
  });

  it('stops retrying when the next wait would pass the request deadline, and says so', async () => {
    let clock = 0;
    let calls = 0;
    const busy: Fetch = async () => {
      calls += 1;
      clock += 40_000;
      return new Response('{"error":{"message":"busy"}}', { status: 503 });
    };
    const error = await postJson(ENDPOINT, { url: 'http://x/y', headers: {}, body: {} }, {
      fetch: busy,
      sleep: async (ms) => void (clock += ms),
      now: () => clock,
      random: () => 0.5,
      deadlineMs: 100_000,
      maxRetries: 10,
    }).catch((reason: unknown) => reason);
    expect(calls).toBe(3);
    expect((error as ModelError).message).toBe(
      'openai:test: the server kept failing (HTTP 503 after 3 attempts, when the request deadline ran out): busy',
    );
  });

  it("follows a server's retry-after below 60 s only, as the official SDKs do", async () => {
    const waits: number[] = [];
    let calls = 0;
    const limited: Fetch = async () => {
      calls += 1;
      if (calls === 1) return new Response('{}', { status: 429, headers: { 'retry-after': '3600' } });
      if (calls === 2) return new Response('{}', { status: 429, headers: { 'retry-after-ms': '1500' } });
      return new Response('{"ok":true}', { status: 200 });
    };
    await postJson(ENDPOINT, { url: 'http://x/y', headers: {}, body: {} }, { fetch: limited, sleep: async (ms) => void waits.push(ms), random: () => 0.5 });
    expect(waits).toEqual([250, 1500]);
  });
});

describe('shouldRetry', () => {
  const headers = (init: Record<string, string>): Headers => new Headers(init);
  const said = { message: 'x' };

  it('obeys x-should-retry either way, else retries 408, 409, 425, 429 and 5xx', () => {
    expect(shouldRetry(400, headers({ 'x-should-retry': 'true' }), said)).toBe(true);
    expect(shouldRetry(503, headers({ 'x-should-retry': 'false' }), said)).toBe(false);
    expect([408, 409, 425, 429, 500, 529].every((status) => shouldRetry(status, headers({}), said))).toBe(true);
    expect([400, 401, 403, 404, 422].some((status) => shouldRetry(status, headers({}), said))).toBe(false);
  });

  it('never retries quota and billing errors, whatever the status', () => {
    expect(shouldRetry(429, headers({}), { message: 'You exceeded your current quota', code: 'insufficient_quota' })).toBe(false);
    expect(shouldRetry(429, headers({}), { message: 'spend limit', code: 'enforced_spend_limit_reached' })).toBe(false);
    expect(shouldRetry(402, headers({ 'x-should-retry': 'true' }), { message: 'Insufficient credits' })).toBe(false);
  });
});
