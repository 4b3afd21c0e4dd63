import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { createModel } from '../../src/llm/create.js';
import type { ChatMessage } from '../../src/llm/model.js';
import type { Sleep } from '../../src/llm/retry-policy.js';
import { startFakeAnthropic } from '../helpers/fake-anthropic.js';
import { midGenerationError, startFakeOpenRouter } from '../helpers/fake-compatible.js';
import { startFakeOpenAI } from '../helpers/fake-openai.js';
import type { FakeServer } from '../helpers/fake-server.js';

const MESSAGES: ChatMessage[] = [{ role: 'user', content: 'Is block sumTo#2 correct?' }];
const QUOTA = 'You exceeded your current quota, please check your plan and billing details.';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function track(server: Promise<FakeServer>): Promise<FakeServer> {
  const started = await server;
  servers.push(started);
  return started;
}
function recordingSleep(): { waits: number[]; sleep: Sleep } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}
async function failure(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}
const openai = (fake: FakeServer, sleep: Sleep) =>
  createModel('openai:gpt-4o-mini', { env: { OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: fake.url }, cache: false, sleep });

describe('errors that say what to do', () => {
  it('fails at once on 429 insufficient_quota, with the server message', async () => {
    const fake = await track(startFakeOpenAI(() => ({ status: 429, code: 'insufficient_quota', message: QUOTA })));
    const { waits, sleep } = recordingSleep();
    const error = await failure(openai(fake, sleep).complete({ messages: MESSAGES }));
    expect(error.message).toBe(`openai:gpt-4o-mini: the account has no quota or credit left (HTTP 429): ${QUOTA}`);
    expect(error.hint).toBe('add credits or billing to the account, or use another --model');
    expect(fake.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("fails at once on Anthropic's billing errors", async () => {
    const fake = await track(
      startFakeAnthropic([
        { status: 400, message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.' },
        { status: 402, message: 'Billing issue' },
      ]),
    );
    const model = createModel('anthropic:claude-haiku-4-5', { env: { ANTHROPIC_API_KEY: 'ak', ANTHROPIC_BASE_URL: fake.url }, cache: false });
    expect((await failure(model.complete({ messages: MESSAGES }))).message).toMatch(/no quota or credit left \(HTTP 400\): Your credit balance is too low/);
    expect((await failure(model.complete({ messages: MESSAGES }))).message).toContain('(HTTP 402): Billing issue');
    expect(fake.requests).toHaveLength(2);
  });

  it('obeys x-should-retry: false on a 503 and x-should-retry: true on a 400', async () => {
    const fake = await track(
      startFakeOpenAI([
        { status: 503, message: 'do not bother', headers: { 'x-should-retry': 'false' } },
        { status: 400, message: 'transient validation hiccup', headers: { 'x-should-retry': 'true', 'retry-after-ms': '5' } },
        { reply: 'ok' },
      ]),
    );
    const { waits, sleep } = recordingSleep();
    const model = openai(fake, sleep);
    expect((await failure(model.complete({ messages: MESSAGES }))).message).toContain('(503): do not bother');
    expect((await model.complete({ messages: MESSAGES })).text).toBe('ok');
    expect(waits).toEqual([5]);
  });

  it("treats OpenRouter's error-in-200 as the error it is: retried when transient, shown otherwise", async () => {
    const fake = await track(
      startFakeOpenRouter(
        [midGenerationError(502, 'Provider returned error'), { reply: 'ok' }, midGenerationError(400, 'Context length exceeded for this provider')],
        { apiKey: 'sk-or' },
      ),
    );
    const { waits, sleep } = recordingSleep();
    const model = createModel(`openai-compatible:qwen/qwen3-coder@${fake.url}`, { env: { LDB_API_KEY: 'sk-or' }, cache: false, sleep });
    expect((await model.complete({ messages: MESSAGES })).text).toBe('ok');
    expect(waits).toHaveLength(1);
    const error = await failure(model.complete({ messages: MESSAGES }));
    expect(error.message).toContain('the provider rejected the request (400): Context length exceeded for this provider');
  });

  it("fails at once on OpenRouter's 402 (no credits) and names the key on its 401", async () => {
    const fake = await track(startFakeOpenRouter([{ status: 402, message: 'Insufficient credits. Add more using https://openrouter.ai/credits' }], { apiKey: 'sk-or' }));
    const spec = `openai-compatible:qwen/qwen3-coder@${fake.url}`;
    const noCredit = await failure(createModel(spec, { env: { LDB_API_KEY: 'sk-or' }, cache: false }).complete({ messages: MESSAGES }));
    expect(noCredit.message).toContain('no quota or credit left (HTTP 402): Insufficient credits.');
    const noKey = await failure(createModel(spec, { env: { OPENAI_API_KEY: 'sk-openai' }, cache: false }).complete({ messages: MESSAGES }));
    expect(noKey.message).toContain('the server wants an API key (401): export LDB_API_KEY, or name the variable that holds the key with --api-key-env (server: No auth credentials found)');
  });

  it('bounds the whole request, retries included, by the request deadline', async () => {
    const fake = await track(startFakeOpenAI(() => ({ hang: true })));
    const model = createModel('openai:gpt-4o-mini', {
      env: { OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: fake.url },
      cache: false,
      requestDeadlineMs: 300,
      timeoutMs: 60_000,
      maxRetries: 10,
      sleep: async () => {},
    });
    const error = await failure(model.complete({ messages: MESSAGES }));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/^openai:gpt-4o-mini: no reply within the request deadline of 300 ms \(\d+ attempts?\): raise --request-timeout/);
  });
});
