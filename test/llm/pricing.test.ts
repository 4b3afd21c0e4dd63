import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { createModel } from '../../src/llm/create.js';
import { costOf, DEFAULT_PRICES, findPrice, loadPrices } from '../../src/llm/pricing.js';
import { startFakeOpenAI, type FakeServer } from '../helpers/fake-openai.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldb-prices-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tokens = (promptTokens: number, completionTokens: number, cachedPromptTokens = 0) => ({ promptTokens, completionTokens, cachedPromptTokens });

describe('pricing', () => {
  it('finds a model by its name, a dated snapshot or a -latest alias of it, the longest entry first', () => {
    expect(findPrice('gpt-4o', DEFAULT_PRICES)).toMatchObject({ input: 2.5, output: 10 });
    expect(findPrice('gpt-4o-mini', DEFAULT_PRICES)).toMatchObject({ input: 0.15, output: 0.6 });
    expect(findPrice('gpt-4o-mini-2024-07-18', DEFAULT_PRICES)).toMatchObject({ input: 0.15, output: 0.6 });
    expect(findPrice('gpt-5-chat-latest', DEFAULT_PRICES)).toMatchObject({ input: 1.25, output: 10 });
    expect(findPrice('o4-mini-2025-04-16', DEFAULT_PRICES)).toMatchObject({ input: 1.1, output: 4.4 });
    expect(findPrice('claude-sonnet-4-5-20250929', DEFAULT_PRICES)).toMatchObject({ input: 3, output: 15 });
    expect(findPrice('claude-opus-4-20250514', DEFAULT_PRICES)).toMatchObject({ input: 15, output: 75 });
    expect(findPrice('claude-3-5-haiku-latest', DEFAULT_PRICES)).toMatchObject({ input: 0.8, output: 4 });
    expect(findPrice('claude-3-7-sonnet-latest', DEFAULT_PRICES)).toMatchObject({ input: 3, output: 15 });
  });

  it("finds OpenRouter's openai/ and anthropic/ names", () => {
    expect(findPrice('openai/gpt-4o-mini', DEFAULT_PRICES)).toMatchObject({ input: 0.15 });
    expect(findPrice('anthropic/claude-sonnet-4.5', DEFAULT_PRICES)).toMatchObject({ input: 3 });
  });

  it('prices what it does not know as null rather than guessing from a prefix', () => {
    expect(findPrice('claude-opus-4-9', DEFAULT_PRICES)).toBeUndefined();
    expect(findPrice('gpt-5.9', DEFAULT_PRICES)).toBeUndefined();
    expect(findPrice('gpt-4o-mini-tts', DEFAULT_PRICES)).toBeUndefined();
    expect(costOf('qwen2.5-coder:7b', tokens(1000, 1000), DEFAULT_PRICES)).toBeNull();
  });

  it('computes USD from tokens and per-million prices', () => {
    expect(costOf('gpt-4o-mini', tokens(1_000_000, 1_000_000), DEFAULT_PRICES)).toBeCloseTo(0.75);
    expect(costOf('claude-haiku-4-5', tokens(2000, 500), DEFAULT_PRICES)).toBeCloseTo(0.0045);
  });

  it('counts cached prompt tokens at the discounted price, and cache writes at 1.25x', () => {
    // gpt-5: 1.25 input, 0.125 cached, 10 output; 400k of the 1M prompt tokens were cached.
    expect(costOf('gpt-5', tokens(1_000_000, 0, 400_000), DEFAULT_PRICES)).toBeCloseTo(0.6 * 1.25 + 0.4 * 0.125);
    expect(costOf('claude-sonnet-4-5', { promptTokens: 1_000_000, completionTokens: 0, cacheWriteTokens: 1_000_000 }, DEFAULT_PRICES)).toBeCloseTo(3.75);
    // No cached price known: full price.
    expect(costOf('m', tokens(1_000_000, 0, 1_000_000), { m: { input: 2, output: 2 } })).toBeCloseTo(2);
  });

  it('takes overrides from LDB_PRICES, then from the option', async () => {
    const file = join(dir, 'prices.json');
    await writeFile(file, JSON.stringify({ 'gpt-4o-mini': { input: 1, output: 2 }, 'qwen2.5-coder:7b': { input: 0, output: 0 } }));
    const fromFile = loadPrices({ env: { LDB_PRICES: file } });
    expect(fromFile['gpt-4o-mini']).toEqual({ input: 1, output: 2 });
    expect(fromFile['gpt-4o']).toMatchObject({ input: 2.5, output: 10 });
    expect(costOf('qwen2.5-coder:7b', tokens(10, 10), fromFile)).toBe(0);
    const fromOption = loadPrices({ env: { LDB_PRICES: file }, prices: { 'gpt-4o-mini': { input: 3, output: 3 } } });
    expect(fromOption['gpt-4o-mini']).toEqual({ input: 3, output: 3 });
  });

  it('says what a price file should look like when it is wrong or missing', async () => {
    const file = join(dir, 'prices.json');
    await writeFile(file, JSON.stringify({ 'gpt-4o-mini': { input: '0.15' } }));
    expect(() => loadPrices({ env: { LDB_PRICES: file } })).toThrow(ModelError);
    expect(() => loadPrices({ env: { LDB_PRICES: file } })).toThrow(
      `LDB_PRICES file '${file}' is not a price table: write {"<model>": {"input": <USD per 1M tokens>, "output": <USD per 1M tokens>, "cachedInput"?: <USD per 1M tokens>}}`,
    );
    expect(() => loadPrices({ env: { LDB_PRICES: join(dir, 'missing.json') } })).toThrow(/cannot be read \(ENOENT\): fix the path or unset LDB_PRICES/);
  });

  describe('through createModel', () => {
    let server: FakeServer;
    beforeEach(async () => {
      server = await startFakeOpenAI(() => ({ reply: 'ok', usage: { prompt: 500_000, completion: 250_000 } }));
    });
    afterEach(async () => {
      await server.close();
    });

    it('reports the cost of each call, with the override applied', async () => {
      const env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url };
      const standard = await createModel('openai:gpt-4o-mini', { env, cache: false }).complete({ messages: [{ role: 'user', content: 'x' }] });
      expect(standard.usage.costUsd).toBeCloseTo(0.075 + 0.15);
      const custom = await createModel('openai:my-finetune', { env, cache: false, prices: { 'my-finetune': { input: 2, output: 4 } } }).complete({
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(custom.usage.costUsd).toBeCloseTo(1 + 1);
    });

    it('prices the cached part of the prompt at the discount OpenAI reports it with', async () => {
      await server.close();
      server = await startFakeOpenAI([{ reply: 'ok', usage: { prompt: 1_000_000, completion: 0, cached: 1_000_000 } }]);
      const env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url };
      const completion = await createModel('openai:gpt-4.1', { env, cache: false }).complete({ messages: [{ role: 'user', content: 'x' }] });
      expect(completion.usage).toMatchObject({ promptTokens: 1_000_000, cachedPromptTokens: 1_000_000 });
      expect(completion.usage.costUsd).toBeCloseTo(0.5);
    });
  });
});
