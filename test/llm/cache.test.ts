import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey, defaultCacheDir, stableJson } from '../../src/llm/cache.js';
import { createModel } from '../../src/llm/create.js';
import { resolveRequest, type ChatMessage } from '../../src/llm/model.js';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai.js';

const MESSAGES: ChatMessage[] = [{ role: 'user', content: 'Is block f#1 correct? Answer in JSON.' }];

let dir: string;
let servers: FakeServer[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldb-cache-test-'));
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  await rm(dir, { recursive: true, force: true });
});

async function fakeServer(): Promise<FakeServer> {
  let n = 0;
  const server = await startFakeOpenAI(() => ({ reply: `answer ${++n}`, usage: { prompt: 1_000_000, completion: 0 } }));
  servers.push(server);
  return server;
}

function model(server: FakeServer, options: { cache?: boolean; cacheDir?: string; env?: Record<string, string> } = {}) {
  return createModel('openai:gpt-4o-mini', {
    cacheDir: dir,
    ...options,
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url, ...options.env },
  });
}

describe('response cache', () => {
  it('answers a repeated request from disk: same text and tokens, cost 0, cached', async () => {
    const server = await fakeServer();
    const first = await model(server).complete({ messages: MESSAGES });
    const second = await model(server).complete({ messages: MESSAGES, temperature: 0, responseFormat: 'text' });

    expect(first.usage).toEqual({ promptTokens: 1_000_000, completionTokens: 0, costUsd: 0.15, cached: false });
    expect(second).toEqual({ text: 'answer 1', model: 'gpt-4o-mini', usage: { promptTokens: 1_000_000, completionTokens: 0, costUsd: 0, cached: true } });
    expect(server.requests).toHaveLength(1);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/);
  });

  it('asks again when the messages or the parameters differ', async () => {
    const server = await fakeServer();
    const m = model(server);
    await m.complete({ messages: MESSAGES });
    await m.complete({ messages: [{ role: 'user', content: 'Is block f#2 correct?' }] });
    await m.complete({ messages: MESSAGES, temperature: 0.7 });
    await m.complete({ messages: MESSAGES, maxTokens: 100 });
    await m.complete({ messages: MESSAGES, responseFormat: 'json' });
    await model(server, { env: { LDB_MAX_TOKENS: '4096' } }).complete({ messages: MESSAGES });
    expect(server.requests).toHaveLength(6);
    expect(server.requests[5]?.body.max_completion_tokens).toBe(4096);
  });

  it("records in each entry what the model refused, and answers from the cache without asking again", async () => {
    const server = await startFakeOpenAI([{ reply: 'thinking done', usage: { prompt: 10, completion: 5 } }]);
    servers.push(server);
    const notices: string[] = [];
    const make = () =>
      createModel('openai:o4-mini', { cacheDir: dir, env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url }, onNotice: (m) => notices.push(m) });
    expect((await make().complete({ messages: MESSAGES })).text).toBe('thinking done');
    expect(server.requests.map((r) => 'temperature' in r.body)).toEqual([true, false]);
    const [file] = await readdir(dir);
    expect(JSON.parse(await readFile(join(dir, file!), 'utf8'))).toMatchObject({ version: 2, adjustments: ['without temperature'] });
    expect((await make().complete({ messages: MESSAGES })).usage.cached).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(notices).toHaveLength(1);
  });

  it('keeps answers of one model name on two servers apart', async () => {
    const one = await fakeServer();
    const two = await fakeServer();
    await model(one).complete({ messages: MESSAGES });
    const fromTwo = await model(two).complete({ messages: MESSAGES });
    expect(fromTwo.usage.cached).toBe(false);
    expect(two.requests).toHaveLength(1);
  });

  it('is off with cache: false (--no-cache): every call reaches the server, nothing is written', async () => {
    const server = await fakeServer();
    const m = model(server, { cache: false });
    const first = await m.complete({ messages: MESSAGES });
    const second = await m.complete({ messages: MESSAGES });
    expect([first.text, second.text]).toEqual(['answer 1', 'answer 2']);
    expect(second.usage.cached).toBe(false);
    expect(server.requests).toHaveLength(2);
    expect(await readdir(dir)).toEqual([]);
  });

  it('ignores a corrupt entry, asks the server and overwrites it', async () => {
    const server = await fakeServer();
    const key = cacheKey(
      { modelId: 'openai:gpt-4o-mini', endpoint: server.url },
      resolveRequest({ messages: MESSAGES }),
    );
    const file = join(dir, `${key}.json`);
    for (const garbage of ['{"version": 2, "completion": {"te', '{"version": 2, "completion": {"text": 5}}', 'null']) {
      await writeFile(file, garbage);
      const completion = await model(server).complete({ messages: MESSAGES });
      expect(completion.usage.cached).toBe(false);
    }
    expect(server.requests).toHaveLength(3);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 2, model: 'openai:gpt-4o-mini', completion: { text: 'answer 3' } });
    expect((await model(server).complete({ messages: MESSAGES })).usage.cached).toBe(true);
  });

  it('does not fail the call when the cache cannot be written', async () => {
    const server = await fakeServer();
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a directory');
    const completion = await model(server, { cacheDir: join(blocker, 'responses') }).complete({ messages: MESSAGES });
    expect(completion.text).toBe('answer 1');
  });

  it('lives in LDB_CACHE_DIR, else under XDG_CACHE_HOME, else ~/.cache', async () => {
    expect(defaultCacheDir({ LDB_CACHE_DIR: '/tmp/x', XDG_CACHE_HOME: '/xdg', HOME: '/home/u' })).toBe('/tmp/x');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg', HOME: '/home/u' })).toBe('/xdg/ldb/responses');
    expect(defaultCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/ldb/responses');

    const server = await fakeServer();
    const envDir = join(dir, 'from-env');
    await createModel('openai:gpt-4o-mini', {
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url, LDB_CACHE_DIR: envDir },
    }).complete({ messages: MESSAGES });
    expect(await readdir(envDir)).toHaveLength(1);
  });

  it('hashes a stable JSON: key order does not matter', () => {
    expect(stableJson({ b: 1, a: [{ d: 2, c: 3 }], e: undefined })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});
