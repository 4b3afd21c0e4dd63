import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { createModel, type CreateModelOptions } from '../../src/llm/create.js';
import type { ChatMessage } from '../../src/llm/model.js';
import type { Sleep } from '../../src/llm/retry-policy.js';
import { startFakeAnthropic, type FakeScript, type FakeServer } from '../helpers/fake-anthropic.js';

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a debugger.' },
  { role: 'system', content: 'Answer in JSON.' },
  { role: 'user', content: 'Block sumTo#2:' },
  { role: 'user', content: 'i = 1, n = 3' },
  { role: 'assistant', content: '{"correct": false}' },
  { role: 'user', content: 'Why?' },
];

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(script: FakeScript): Promise<FakeServer> {
  server = await startFakeAnthropic(script);
  return server;
}

function anthropic(model: string, fake: FakeServer, options: CreateModelOptions = {}) {
  return createModel(`anthropic:${model}`, {
    env: { ANTHROPIC_API_KEY: 'ak-test', ANTHROPIC_BASE_URL: fake.url },
    cache: false,
    ...options,
  });
}

describe('Anthropic Messages', () => {
  it('sends system messages in the top-level system field and reads text blocks, usage and cost', async () => {
    const fake = await start([{ reply: 'the loop bound is off by one', usage: { prompt: 2_000_000, completion: 100_000 } }]);
    const completion = await anthropic('claude-sonnet-4-5-20250929', fake).complete({ messages: MESSAGES, responseFormat: 'json' });

    expect(completion).toEqual({
      text: 'the loop bound is off by one',
      model: 'claude-sonnet-4-5-20250929',
      usage: { promptTokens: 2_000_000, completionTokens: 100_000, costUsd: 7.5, cached: false },
    });
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe('ak-test');
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 2048,
      temperature: 0,
      system: 'You are a debugger.\n\nAnswer in JSON.',
      messages: [
        { role: 'user', content: 'Block sumTo#2:\n\ni = 1, n = 3' },
        { role: 'assistant', content: '{"correct": false}' },
        { role: 'user', content: 'Why?' },
      ],
    });
  });

  it('omits system when there is none and joins several text blocks', async () => {
    const fake = await start([
      {
        json: {
          model: 'claude-haiku-4-5',
          content: [
            { type: 'text', text: 'part one, ' },
            { type: 'tool_use', id: 't', name: 'x', input: {} },
            { type: 'text', text: 'part two' },
          ],
          stop_reason: 'end_turn',
          usage: { input_tokens: 3, output_tokens: 4 },
        },
      },
    ]);
    const completion = await anthropic('claude-haiku-4-5', fake).complete({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 50 });
    expect(completion.text).toBe('part one, part two');
    expect(fake.requests[0]?.body).toEqual({ model: 'claude-haiku-4-5', max_tokens: 50, temperature: 0, messages: [{ role: 'user', content: 'hi' }] });
  });

  it('retries when Anthropic is overloaded (529)', async () => {
    const fake = await start([{ status: 529, message: 'Overloaded' }, { reply: 'ok' }]);
    const waits: number[] = [];
    const sleep: Sleep = async (ms) => void waits.push(ms);
    const completion = await anthropic('claude-haiku-4-5', fake, { sleep }).complete({ messages: MESSAGES });
    expect(completion.text).toBe('ok');
    expect(fake.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it('fails at once on 401 and names ANTHROPIC_API_KEY', async () => {
    const fake = await start([{ status: 401, message: 'invalid x-api-key' }]);
    const error = await anthropic('claude-haiku-4-5', fake)
      .complete({ messages: MESSAGES })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message).toBe(
      'anthropic:claude-haiku-4-5: the provider rejected the API key (401): check ANTHROPIC_API_KEY (server: invalid x-api-key)',
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a reply cut off at max_tokens before any text', async () => {
    const fake = await start([{ reply: '', finishReason: 'max_tokens' }]);
    const error = await anthropic('claude-opus-4-1', fake)
      .complete({ messages: MESSAGES, maxTokens: 10 })
      .catch((reason: unknown) => reason);
    expect((error as ModelError).message).toBe(
      'anthropic:claude-opus-4-1: the reply was cut off at 10 output tokens before any text: raise --max-tokens (LDB_MAX_TOKENS); reasoning models spend tokens thinking before they answer',
    );
  });
});
