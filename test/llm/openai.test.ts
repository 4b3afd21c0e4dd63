import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { createModel, type CreateModelOptions } from '../../src/llm/create.js';
import type { ChatMessage } from '../../src/llm/model.js';
import type { Sleep } from '../../src/llm/retry-policy.js';
import { startFakeOpenAI, type FakeScript, type FakeServer } from '../helpers/fake-openai.js';

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a debugger.' },
  { role: 'user', content: 'Is block sumTo#3 correct?' },
];

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(script: FakeScript): Promise<FakeServer> {
  server = await startFakeOpenAI(script);
  return server;
}

function recordingSleep(): { waits: number[]; sleep: Sleep } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

function openai(model: string, fake: FakeServer, options: CreateModelOptions = {}) {
  return createModel(`openai:${model}`, {
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url },
    cache: false,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe('OpenAI Chat Completions', () => {
  it('sends the documented request and reads text, usage and cost from the reply', async () => {
    const fake = await start([{ reply: 'sumTo#3 is wrong', usage: { prompt: 1_000_000, completion: 1_000_000 } }]);
    const completion = await openai('gpt-4o-mini', fake).complete({ messages: MESSAGES });

    expect(completion).toEqual({
      text: 'sumTo#3 is wrong',
      model: 'gpt-4o-mini',
      usage: { promptTokens: 1_000_000, completionTokens: 1_000_000, costUsd: 0.75, cached: false },
    });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({ model: 'gpt-4o-mini', messages: MESSAGES, temperature: 0, max_completion_tokens: 2048 });
  });

  it('passes temperature, maxTokens and the JSON response format', async () => {
    const fake = await start([{ reply: '{"ok":true}' }]);
    const messages: ChatMessage[] = [...MESSAGES, { role: 'user', content: 'Answer in JSON.' }];
    await openai('gpt-4.1', fake).complete({ messages, temperature: 0.3, maxTokens: 300, responseFormat: 'json' });
    expect(fake.requests[0]?.body).toEqual({
      model: 'gpt-4.1',
      messages,
      temperature: 0.3,
      max_completion_tokens: 300,
      response_format: { type: 'json_object' },
    });
  });

  it('speaks to Ollama without a key, at OLLAMA_HOST/v1', async () => {
    const fake = await start([{ reply: 'hi' }]);
    const host = fake.url.replace(/\/v1$/, '');
    const model = createModel('ollama:qwen2.5-coder:7b', { env: { OLLAMA_HOST: host }, cache: false });
    const completion = await model.complete({ messages: MESSAGES });
    expect(completion.text).toBe('hi');
    expect(completion.usage.costUsd).toBeNull();
    expect(fake.requests[0]?.path).toBe('/v1/chat/completions');
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
    expect(fake.requests[0]?.body).toMatchObject({ model: 'qwen2.5-coder:7b', temperature: 0, max_tokens: 2048 });
  });

  it('speaks to any OpenAI-compatible server by URL, with LDB_API_KEY but never OPENAI_API_KEY', async () => {
    const fake = await start([{ reply: 'one' }, { reply: 'two' }, { reply: 'three' }]);
    const spec = `openai-compatible:meta-llama/Llama-3-8B@${fake.url}`;
    await createModel(spec, { env: {}, cache: false }).complete({ messages: MESSAGES });
    await createModel(spec, { env: { OPENAI_API_KEY: 'sk-openai' }, cache: false }).complete({ messages: MESSAGES });
    await createModel(spec, { env: { OPENAI_API_KEY: 'sk-openai', LDB_API_KEY: 'ldb-key' }, cache: false }).complete({ messages: MESSAGES });
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined, 'Bearer ldb-key']);
    expect(fake.requests[0]?.body).toMatchObject({ model: 'meta-llama/Llama-3-8B', max_tokens: 2048 });
  });

  it('retries a 429 after the pause the server asked for (retry-after in seconds)', async () => {
    const fake = await start([{ status: 429, headers: { 'retry-after': '2' } }, { reply: 'ok' }]);
    const { waits, sleep } = recordingSleep();
    const completion = await openai('gpt-4o-mini', fake, { sleep }).complete({ messages: MESSAGES });
    expect(completion.text).toBe('ok');
    expect(fake.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('prefers retry-after-ms, and takes retry-after: 0 literally', async () => {
    const fake = await start([
      { status: 429, headers: { 'retry-after-ms': '150', 'retry-after': '9' } },
      { status: 429, headers: { 'retry-after': '0' } },
      { reply: 'ok' },
    ]);
    const { waits, sleep } = recordingSleep();
    await openai('gpt-4o-mini', fake, { sleep }).complete({ messages: MESSAGES });
    expect(waits).toEqual([150, 0]);
  });

  it('backs off with jitter on 5xx and gives up with a clear message after maxRetries', async () => {
    const fake = await start(() => ({ status: 503, message: 'upstream overloaded' }));
    const { waits, sleep } = recordingSleep();
    const error = await failure(openai('gpt-4o-mini', fake, { sleep }).complete({ messages: MESSAGES }));
    expect(error.message).toBe('openai:gpt-4o-mini: the server kept failing (HTTP 503 after 5 attempts): upstream overloaded');
    expect(error).toMatchObject({ code: 'http', status: 503 });
    expect(fake.requests).toHaveLength(5);
    expect(waits).toHaveLength(4);
    waits.forEach((wait, retry) => {
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(500 * 2 ** retry);
    });
  });

  it('honours maxRetries and says when rate limits never lift', async () => {
    const fake = await start(() => ({ status: 429, headers: { 'retry-after': '0' } }));
    const { sleep } = recordingSleep();
    const error = await failure(openai('gpt-4o-mini', fake, { sleep, maxRetries: 1 }).complete({ messages: MESSAGES }));
    expect(fake.requests).toHaveLength(2);
    expect(error.message).toBe(
      'openai:gpt-4o-mini: still rate-limited (HTTP 429 after 2 attempts): wait a while, or make fewer requests at once (server: fake error 429)',
    );
  });

  it('fails at once on 401 and names the key to check', async () => {
    const fake = await start([{ status: 401, message: 'Incorrect API key provided' }, { reply: 'never' }]);
    const { waits, sleep } = recordingSleep();
    const error = await failure(openai('gpt-4o-mini', fake, { sleep }).complete({ messages: MESSAGES }));
    expect(error.message).toBe('openai:gpt-4o-mini: the provider rejected the API key (401): check OPENAI_API_KEY (server: Incorrect API key provided)');
    expect(error).toMatchObject({ code: 'http', status: 401, hint: 'check OPENAI_API_KEY', exitCode: 2 });
    expect(fake.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('fails at once on 400 and 404 with what the server said', async () => {
    const fake = await start([
      { status: 400, message: "Invalid value for 'messages[1].role'" },
      { status: 404, message: 'The model `gpt-9` does not exist' },
    ]);
    const model = openai('gpt-9', fake);
    expect((await failure(model.complete({ messages: MESSAGES }))).message).toBe(
      "openai:gpt-9: the provider rejected the request (400): Invalid value for 'messages[1].role'",
    );
    expect((await failure(model.complete({ messages: MESSAGES }))).message).toBe(
      `openai:gpt-9: nothing found at ${fake.url}/chat/completions (404): check the model name and the base URL (server: The model \`gpt-9\` does not exist)`,
    );
    expect(fake.requests).toHaveLength(2);
  });

  it('times out a request that never gets an answer, retrying it first', async () => {
    const fake = await start(() => ({ hang: true }));
    const { sleep } = recordingSleep();
    const error = await failure(openai('gpt-4o-mini', fake, { sleep, timeoutMs: 150, maxRetries: 1 }).complete({ messages: MESSAGES }));
    expect(error.message).toBe('openai:gpt-4o-mini: no reply within 150 ms (2 attempts): raise --request-timeout / --request-deadline or check the server');
    expect(error.code).toBe('timeout');
    expect(fake.requests).toHaveLength(2);
  });

  it('stops a request in flight when the signal aborts', async () => {
    const controller = new AbortController();
    // Aborted from inside the server's handler: the request is surely in flight, with no timer to race.
    const fake = await start(() => {
      controller.abort();
      return { hang: true };
    });
    const pending = openai('gpt-4o-mini', fake).complete({ messages: MESSAGES, signal: controller.signal });
    const error = await failure(pending);
    expect(error.message).toBe('openai:gpt-4o-mini: the request was cancelled');
    expect(error).toMatchObject({ code: 'aborted', name: 'AbortError' });
    expect(fake.requests).toHaveLength(1);
  });

  it('stops waiting between retries at once when the signal aborts', async () => {
    const fake = await start(() => ({ status: 503 }));
    const controller = new AbortController();
    let sleeping = (): void => {};
    const asleep = new Promise<void>((resolve) => (sleeping = resolve));
    // A sleep that ignores the signal and never ends: only the abort can end the wait.
    const sleep: Sleep = () => {
      sleeping();
      return new Promise<void>(() => {});
    };
    const pending = openai('gpt-4o-mini', fake, { sleep }).complete({ messages: MESSAGES, signal: controller.signal });
    await asleep;
    controller.abort();
    expect((await failure(pending)).code).toBe('aborted');
    expect(fake.requests).toHaveLength(1);
  });

  it('does not send anything when the signal is already aborted', async () => {
    const fake = await start([{ reply: 'never' }]);
    const error = await failure(openai('gpt-4o-mini', fake).complete({ messages: MESSAGES, signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(fake.requests).toHaveLength(0);
  });

  it('says how to fix an unreachable server', async () => {
    const port = await closedPort();
    const { waits, sleep } = recordingSleep();
    const model = createModel('openai:gpt-4o-mini', {
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` },
      cache: false,
      sleep,
    });
    const error = await failure(model.complete({ messages: MESSAGES }));
    expect(error.message).toBe(
      `openai:gpt-4o-mini: cannot reach http://127.0.0.1:${port}/v1 (ECONNREFUSED): is the server running? set OPENAI_BASE_URL or use another --model`,
    );
    expect(error.code).toBe('network');
    expect(waits).toHaveLength(4);
  });

  it('retries a dropped connection and says so when it keeps dropping', async () => {
    const fake = await start([{ drop: true }, { reply: 'ok' }, { drop: true }, { drop: true }]);
    const { sleep } = recordingSleep();
    const model = openai('gpt-4o-mini', fake, { sleep, maxRetries: 1 });
    expect((await model.complete({ messages: MESSAGES })).text).toBe('ok');
    const error = await failure(model.complete({ messages: MESSAGES }));
    expect(error.message).toMatch(/^openai:gpt-4o-mini: the connection to http:\/\/127\.0\.0\.1:\d+\/v1 kept dropping \((UND_ERR_SOCKET|ECONNRESET)\): /);
    expect(fake.requests).toHaveLength(4);
  });

  it('reports a 200 that is not JSON, and a reply without an answer', async () => {
    const fake = await start([{ body: '<html>proxy login</html>' }, { json: { choices: [] } }, { json: { choices: [{ message: {} }] } }]);
    const model = openai('gpt-4.1-mini', fake);
    expect((await failure(model.complete({ messages: MESSAGES }))).message).toBe(
      `openai:gpt-4.1-mini: the server answered 200 but not with JSON (starts with '<html>proxy login</html>'): check that ${fake.url} is the API's base URL`,
    );
    expect((await failure(model.complete({ messages: MESSAGES }))).message).toContain('the reply has no choices[0]');
    expect((await failure(model.complete({ messages: MESSAGES }))).message).toContain('the reply has no choices[0].message.content');
  });

  it('estimates usage when a local server reports none', async () => {
    const fake = await start([{ json: { model: 'local', choices: [{ message: { role: 'assistant', content: '12345678' } }] } }]);
    const completion = await openai('local', fake).complete({ messages: [{ role: 'user', content: 'abcd' }] });
    expect(completion).toEqual({ text: '12345678', model: 'local', usage: { promptTokens: 1, completionTokens: 2, costUsd: null, cached: false } });
  });
});

/** A port on 127.0.0.1 that nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
