import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { createModel, type CreateModelOptions } from '../../src/llm/create.js';
import type { ChatMessage } from '../../src/llm/model.js';
import { startFakeAnthropic } from '../helpers/fake-anthropic.js';
import { startFakeLMStudio, startFakeOllama } from '../helpers/fake-compatible.js';
import { startFakeOpenAI } from '../helpers/fake-openai.js';
import type { FakeServer } from '../helpers/fake-server.js';

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You judge code. Answer in JSON.' },
  { role: 'user', content: 'Is block sumTo#2 correct?' },
];

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function track(server: Promise<FakeServer>): Promise<FakeServer> {
  const started = await server;
  servers.push(started);
  return started;
}

function openai(model: string, fake: FakeServer, options: CreateModelOptions = {}) {
  return createModel(`openai:${model}`, { env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url }, cache: false, ...options });
}

async function failure(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe('parameters a model refuses', () => {
  it("learns from OpenAI's 400 that a reasoning model refuses temperature, once per run, and says so once", async () => {
    const fake = await track(startFakeOpenAI(() => ({ reply: 'ok' })));
    const notices: string[] = [];
    const model = openai('o3', fake, { onNotice: (m) => notices.push(m) });
    await model.complete({ messages: MESSAGES });
    await model.complete({ messages: MESSAGES });
    expect(fake.requests.map((r) => r.body.temperature)).toEqual([0, undefined, undefined]);
    expect(fake.requests.map((r) => r.body.max_completion_tokens)).toEqual([2048, 2048, 2048]);
    expect(notices).toEqual([
      "openai:o3 refused `temperature` (server: Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.); sending requests without it for the rest of the run",
    ]);
  });

  it('sends max_completion_tokens to OpenAI, and switches a compatible server that refuses max_tokens', async () => {
    const fake = await track(startFakeOpenAI(() => ({ reply: 'ok' })));
    const notices: string[] = [];
    const model = createModel(`openai-compatible:gpt-5-mini@${fake.url}`, { cache: false, env: {}, onNotice: (m) => notices.push(m) });
    await model.complete({ messages: MESSAGES });
    expect(fake.requests.map((r) => Object.keys(r.body).filter((k) => k.startsWith('max')))).toEqual([['max_tokens'], ['max_completion_tokens'], ['max_completion_tokens']]);
    expect(notices[0]).toContain('sending `max_completion_tokens` instead for the rest of the run');
    expect(notices[1]).toContain('refused `temperature`');
  });

  it("drops temperature for Anthropic models that call it deprecated", async () => {
    const fake = await track(startFakeAnthropic(() => ({ reply: 'ok' }), { apiKey: 'ak' }));
    const notices: string[] = [];
    const model = createModel('anthropic:claude-opus-4-7', {
      env: { ANTHROPIC_API_KEY: 'ak', ANTHROPIC_BASE_URL: fake.url },
      cache: false,
      onNotice: (m) => notices.push(m),
    });
    expect((await model.complete({ messages: MESSAGES })).text).toBe('ok');
    await model.complete({ messages: MESSAGES });
    expect(fake.requests.map((r) => r.body.temperature)).toEqual([0, undefined, undefined]);
    expect(notices).toEqual([
      'anthropic:claude-opus-4-7 refused `temperature` (server: `temperature` is deprecated for this model.); sending requests without it for the rest of the run',
    ]);
  });

  it("falls back without response_format on LM Studio's 400, keeping the JSON request in the prompt", async () => {
    const fake = await track(startFakeLMStudio(() => ({ reply: '{"verdicts": []}' })));
    const notices: string[] = [];
    const model = createModel(`openai-compatible:qwen2.5-7b-instruct@${fake.url}`, { cache: false, env: {}, onNotice: (m) => notices.push(m) });
    expect((await model.complete({ messages: MESSAGES, responseFormat: 'json' })).text).toBe('{"verdicts": []}');
    await model.complete({ messages: MESSAGES, responseFormat: 'json' });
    expect(fake.requests.map((r) => r.body.response_format)).toEqual([{ type: 'json_object' }, undefined, undefined]);
    expect(fake.requests[1]?.body.messages).toEqual(MESSAGES);
    expect(notices[0]).toContain("refused `response_format` (server: 'response_format.type' must be 'json_schema' or 'text')");
  });

  it('does not loop on a 400 that names nothing it can drop', async () => {
    const fake = await track(startFakeOpenAI([{ status: 400, message: "Invalid 'messages[0].content': string too long." }]));
    const error = await failure(openai('gpt-4o', fake).complete({ messages: MESSAGES }));
    expect(error.message).toBe("openai:gpt-4o: the provider rejected the request (400): Invalid 'messages[0].content': string too long.");
    expect(fake.requests).toHaveLength(1);
  });
});

describe('output budget', () => {
  it('takes --max-tokens (maxTokens) and LDB_MAX_TOKENS, and never grows a budget the user chose', async () => {
    const fake = await track(startFakeOpenAI(() => ({ reply: 'partial answ', finishReason: 'length' })));
    const fromOption = await failure(openai('gpt-4.1', fake, { maxTokens: 300 }).complete({ messages: MESSAGES }));
    expect(fromOption.message).toBe(
      'openai:gpt-4.1: the reply was cut off at 300 output tokens mid-reply: raise --max-tokens (LDB_MAX_TOKENS); reasoning models spend tokens thinking before they answer',
    );
    const fromEnv = createModel('openai:gpt-4.1', { env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: fake.url, LDB_MAX_TOKENS: '777' }, cache: false });
    await failure(fromEnv.complete({ messages: MESSAGES }));
    expect(fake.requests.map((r) => r.body.max_completion_tokens)).toEqual([300, 777]);
    expect(() => createModel('openai:gpt-4.1', { env: { OPENAI_API_KEY: 'k', LDB_MAX_TOKENS: 'lots' } })).toThrow(
      "LDB_MAX_TOKENS 'lots' is not a positive whole number: set it like LDB_MAX_TOKENS=8192",
    );
  });

  it('asks once more with room to reason when a reasoning model spent the default budget thinking, and remembers it', async () => {
    const fake = await track(startFakeOpenAI(() => ({ reply: 'the loop bound is wrong', reasoningTokens: 3000, usage: { prompt: 100, completion: 20 } })));
    const notices: string[] = [];
    const model = openai('gpt-5-mini', fake, { onNotice: (m) => notices.push(m) });
    const first = await model.complete({ messages: MESSAGES });
    expect(first.text).toBe('the loop bound is wrong');
    // The cut-off attempt was paid for too: 100 + 100 prompt tokens, 2048 + 3020 completion tokens.
    expect(first.usage).toMatchObject({ promptTokens: 200, completionTokens: 2048 + 3020 });
    await model.complete({ messages: MESSAGES });
    const answered = fake.answered.map((r) => r.body.max_completion_tokens);
    expect(answered).toEqual([2048, 25_000, 25_000]);
    expect(notices).toContain('openai:gpt-5-mini: a reply was cut off at 2048 output tokens; asking again with 25000 (set --max-tokens to choose)');
  });

  it('sends the reasoning effort the provider knows, and starts reasoning models with room to think', async () => {
    const fake = await track(startFakeOpenAI(() => ({ reply: 'ok' })));
    await openai('o4-mini', fake, { reasoningEffort: 'low' }).complete({ messages: MESSAGES });
    expect(fake.answered[0]?.body).toMatchObject({ reasoning_effort: 'low', max_completion_tokens: 25_000 });
    expect(() => openai('o4-mini', fake, { reasoningEffort: 'extreme' })).toThrow("reasoning effort 'extreme' is not one providers know");
  });

  it('drops a reasoning effort the model does not know, saying so', async () => {
    const fake = await track(startFakeOpenAI(() => ({ reply: 'ok' })));
    const notices: string[] = [];
    await openai('gpt-4o-mini', fake, { reasoningEffort: 'high', onNotice: (m) => notices.push(m) }).complete({ messages: MESSAGES });
    expect(fake.requests.map((r) => r.body.reasoning_effort)).toEqual(['high', undefined]);
    expect(notices[0]).toContain('refused `reasoning_effort`');
  });
});

describe('context length', () => {
  it('warns once when a prompt looks larger than --context-length, naming OLLAMA_CONTEXT_LENGTH for Ollama', async () => {
    const fake = await track(startFakeOllama(() => ({ reply: 'ok' })));
    const notices: string[] = [];
    const model = createModel('ollama:qwen2.5-coder:7b', { env: { OLLAMA_HOST: fake.url }, cache: false, contextLength: 100, onNotice: (m) => notices.push(m) });
    const long: ChatMessage[] = [{ role: 'user', content: 'x'.repeat(2000) }];
    await model.complete({ messages: long });
    await model.complete({ messages: long });
    await model.complete({ messages: MESSAGES });
    expect(notices).toEqual([
      'warning: a prompt of about 500 tokens exceeds --context-length 100; the server may cut it without saying so: raise OLLAMA_CONTEXT_LENGTH on the server and --context-length, or lower --budget',
    ]);
    expect(fake.requests).toHaveLength(3);
  });
});
