import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { debug } from '../../src/debugger/loop.js';
import type { DebugEvent } from '../../src/debugger/result.js';
import { createModel } from '../../src/llm/create.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { startFakeAnthropic } from '../helpers/fake-anthropic.js';
import { startFakeOpenAI, type FakeServer, type FakeStep } from '../helpers/fake-openai.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const buggy = await readFile(`${FIXTURES}js/off-by-one-sum.js`, 'utf8');
const fixed = await readFile(`${FIXTURES}js/off-by-one-sum.fixed.js`, 'utf8');
const tests = await readFile(`${FIXTURES}js/off-by-one-sum.test.js`, 'utf8');

const VERDICTS = JSON.stringify({
  verdicts: [
    { block: 'sumTo#1', correct: true, explanation: 'total starts at 0' },
    { block: 'sumTo#2', correct: false, explanation: 'the loop stops before n: i < n should be i <= n' },
  ],
});
const fence = (code: string) => `Here is the fix:\n\`\`\`js\n${code}\`\`\``;

const sandbox = new Sandbox();
const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => sandbox.dispose());

async function fakeModel(script: FakeStep[], options: { cacheDir?: string } = {}) {
  const server = await startFakeOpenAI(script);
  servers.push(server);
  const model = createModel(`openai-compatible:fake-coder@${server.url}`, {
    cache: options.cacheDir !== undefined,
    cacheDir: options.cacheDir,
    maxRetries: 2,
    sleep: async () => undefined,
  });
  return { server, model };
}

describe('debug (the LDB loop) against a fake OpenAI-compatible server', () => {
  it('fixes the off-by-one fixture in one iteration and reports every step', async () => {
    const { server, model } = await fakeModel([{ reply: VERDICTS }, { reply: fence(fixed) }]);
    const events: DebugEvent['type'][] = [];
    const result = await debug({ code: buggy, tests, model, entryPoint: 'sumTo', filename: 'sum.js', sandbox, onEvent: (e) => events.push(e.type) });
    expect(result.solved).toBe(true);
    expect(result.stopReason).toBe('solved');
    expect(result.iterations).toHaveLength(2);
    const [first, second] = result.iterations;
    // sumTo(1) fails in fewer steps than sumTo(3) or sumTo(10): the shortest failing run is traced.
    expect(first).toMatchObject({ passed: 1, total: 4, failingCase: 2 });
    expect(first!.verdicts).toEqual([
      { block: 'sumTo#1', correct: true, explanation: 'total starts at 0' },
      { block: 'sumTo#2', correct: false, explanation: 'the loop stops before n: i < n should be i <= n' },
    ]);
    expect(first!.trace!.outcome).toMatchObject({ kind: 'fail', expected: '1', actual: '0' });
    expect(first!.patch!.diff).toContain('-  for (let i = 1; i < n; i++) {\n+  for (let i = 1; i <= n; i++) {');
    expect(second).toMatchObject({ passed: 4, total: 4 });
    expect(result.best).toMatchObject({ passed: 4, iteration: 1 });
    expect(result.usage).toMatchObject({ calls: 2, promptTokens: 20, completionTokens: 10 });
    expect(events).toEqual(['iteration', 'tests', 'trace', 'usage', 'verdicts', 'usage', 'patch', 'iteration', 'tests', 'done']);
    // The verification prompt carried the trace, the failing test, and asked for JSON.
    const verify = server.requests[0]!.body as { messages: { content: string }[]; response_format?: unknown };
    const prompt = verify.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('assert.strictEqual(sumTo(1), 1)');
    expect(prompt).toContain('sumTo#2');
    expect(verify.response_format).toEqual({ type: 'json_object' });
    // The fix prompt named the block judged wrong and why.
    const fixPrompt = (server.requests[1]!.body as { messages: { content: string }[] }).messages.map((m) => m.content).join('\n');
    expect(fixPrompt).toContain('i < n should be i <= n');
  });

  it('asks again once when verdicts are malformed, then goes on without them', async () => {
    const { server, model } = await fakeModel([{ reply: '{"verdicts": [ {"block": ' }, { reply: 'I think the loop is wrong.' }, { reply: fence(fixed) }]);
    const result = await debug({ code: buggy, tests, model, sandbox });
    expect(result.solved).toBe(true);
    const first = result.iterations[0]!;
    expect(first.verdicts).toBeNull();
    expect(first.notes.join('\n')).toMatch(/verdicts did not parse .*asked again/);
    expect(first.notes.join('\n')).toMatch(/still did not parse .*going on without them/);
    const retry = (server.requests[1]!.body as { messages: { role: string; content: string }[] }).messages.at(-1)!;
    expect(retry.role).toBe('user');
    expect(retry.content.toLowerCase()).toContain('json');
  });

  it('asks again when the fix has no code, or code that does not parse', async () => {
    const { server, model } = await fakeModel([
      { reply: VERDICTS },
      { reply: 'Change the loop condition to i <= n.' },
      { reply: fence(fixed) },
    ]);
    const noCode = await debug({ code: buggy, tests, model, sandbox, maxIterations: 1 });
    expect(noCode.solved).toBe(true);
    expect(noCode.iterations[0]!.notes[0]).toMatch(/the fix was unusable \(the reply has no code/);
    const retry = (server.requests[2]!.body as { messages: { content: string }[] }).messages.at(-1)!.content;
    expect(retry).toContain('no code');

    const broken = await fakeModel([{ reply: VERDICTS }, { reply: fence('function sumTo(n) {\n  return n +;\n}\n') }, { reply: fence('function sumTo(n) { return -1; }\n') }]);
    const result = await debug({ code: buggy, tests, model: broken.model, sandbox, maxIterations: 1 });
    expect(result.iterations[0]!.notes[0]).toMatch(/does not parse/);
    expect(result.iterations[1]!.code).toContain('return -1;');
    expect(result.solved).toBe(false);
    expect(result.best).toMatchObject({ passed: 1, iteration: 0 });
  });

  it('stops when the model returns a program already tried, keeping the best one', async () => {
    const { model } = await fakeModel([{ reply: VERDICTS }, { reply: fence(buggy) }]);
    const result = await debug({ code: buggy, tests, model, sandbox });
    expect(result).toMatchObject({ solved: false, stopReason: 'repeated-program' });
    expect(result.best.code).toBe(buggy);
  });

  it('answers a second identical run from the cache: the server sees no new request', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'ldb-cache-'));
    try {
      const { server, model } = await fakeModel([{ reply: VERDICTS }, { reply: fence(fixed) }], { cacheDir });
      const first = await debug({ code: buggy, tests, model, sandbox });
      expect(server.requests).toHaveLength(2);
      const again = await debug({ code: buggy, tests, model, sandbox });
      expect(server.requests).toHaveLength(2);
      expect(again.best.code).toBe(first.best.code);
      expect(again.usage).toMatchObject({ calls: 2, cachedCalls: 2, costUsd: 0 });
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it('writes a first program from the prompt when none is given', async () => {
    const prompt = 'Return the sum of the integers from 1 to n inclusive (0 for n <= 0). Name the function sumTo.';
    const { model } = await fakeModel([{ reply: fence(fixed) }]);
    const result = await debug({ tests, prompt, entryPoint: 'sumTo', model, sandbox });
    expect(result).toMatchObject({ seeded: true, solved: true });
    expect(result.iterations).toHaveLength(1);
  });

  it('stops at the token budget and at max iterations', async () => {
    const wrong = fence('function sumTo(n) { return 0; }\n');
    const { model } = await fakeModel([{ reply: VERDICTS }, { reply: wrong }, { reply: VERDICTS }, { reply: fence('function sumTo(n) { return 1; }\n') }]);
    // The fake server reports 10 prompt + 5 completion tokens a call: two calls spend 30 of 10,000.
    const spent = await debug({ code: buggy, tests, model, sandbox, tokenBudget: 10_000, maxIterations: 1 });
    expect(spent.usage).toMatchObject({ calls: 2 });
    const limited = await fakeModel([{ reply: VERDICTS }, { reply: wrong }]);
    const max = await debug({ code: buggy, tests, model: limited.model, sandbox, maxIterations: 1 });
    expect(max.stopReason).toBe('max-iterations');
    expect(max.best.iteration).toBe(0);
  });

  it('stops before a call whose prompt alone costs more than the budget has left, and says so', async () => {
    const { server, model } = await fakeModel([{ reply: VERDICTS }, { reply: fence(fixed) }]);
    const result = await debug({ code: buggy, tests, model, sandbox, tokenBudget: 200 });
    expect(result.stopReason).toBe('token-budget');
    expect(server.requests).toHaveLength(0);
    expect(result.iterations[0]!.notes.at(-1)).toMatch(/^stopped before the verify call: its prompt alone is \d+ tokens and the token budget has 200 left$/);
  });

  it('traces the first failing case instead when asked, or a given one', async () => {
    const { model } = await fakeModel([{ reply: VERDICTS }, { reply: fence(fixed) }, { reply: VERDICTS }, { reply: fence(fixed) }]);
    const first = await debug({ code: buggy, tests, model, sandbox, pick: 'first' });
    expect(first.iterations[0]!.failingCase).toBe(1);
    const given = await debug({ code: buggy, tests, model, sandbox, pick: { case: 3 } });
    expect(given.iterations[0]!.failingCase).toBe(3);
  });

  it('puts the code the model found missing into the fix prompt and the verdicts event', async () => {
    const code = await readFile(`${FIXTURES}js/missing-accumulator.js`, 'utf8');
    const answer = await readFile(`${FIXTURES}js/missing-accumulator.fixed.js`, 'utf8');
    const vowelTests = await readFile(`${FIXTURES}js/missing-accumulator.test.js`, 'utf8');
    const verdicts = JSON.stringify({
      verdicts: [{ block: 'countVowels#4', correct: true, explanation: 'Remembers the vowel.' }],
      missing: [{ after_line: 11, explanation: 'count is never increased: add count++ for each vowel.' }],
    });
    const { server, model } = await fakeModel([{ reply: verdicts }, { reply: fence(answer) }]);
    const events: DebugEvent[] = [];
    const result = await debug({ code, tests: vowelTests, model, sandbox, onEvent: (e) => events.push(e) });
    expect(result.solved).toBe(true);
    expect(result.iterations[0]!.missing).toEqual([{ afterLine: 11, explanation: 'count is never increased: add count++ for each vowel.' }]);
    expect(events.find((e) => e.type === 'verdicts')).toMatchObject({ missing: [{ afterLine: 11 }] });
    const fixPrompt = (server.requests[1]!.body as { messages: { content: string }[] }).messages.map((m) => m.content).join('\n');
    expect(fixPrompt).toContain('A debugger traced this test and found code missing:\n- after line 11: count is never increased: add count++ for each vowel.');
    // The verification prompt asked for it.
    const verifyPrompt = (server.requests[0]!.body as { messages: { content: string }[] }).messages.map((m) => m.content).join('\n');
    expect(verifyPrompt).toContain('"missing": [{"after_line": <n>');
  });

  it('rejects a JSON reply to a fix request and asks again with the reason, never running it', async () => {
    const json = '```\n[{"block": "sumTo#2", "correct": false, "explanation": "i < n should be i <= n"}]\n```';
    const { server, model } = await fakeModel([{ reply: VERDICTS }, { reply: json }, { reply: fence(fixed) }]);
    const events: DebugEvent[] = [];
    const result = await debug({ code: buggy, tests, model, sandbox, onEvent: (e) => events.push(e) });
    expect(result.solved).toBe(true);
    expect(result.iterations).toHaveLength(2);
    expect(result.iterations[1]!.code).toBe(fixed);
    // Only the original and the real fix were ever tested.
    expect(events.filter((e) => e.type === 'tests')).toHaveLength(2);
    expect(result.iterations[0]!.notes[0]).toMatch(/^the fix was unusable \(the reply is a JSON document, not a program/);
    const retry = (server.requests[2]!.body as { messages: { content: string }[] }).messages.at(-1)!.content;
    expect(retry).toContain('the reply is a JSON document, not a program');
  });

  it('rejects a fix that no longer defines a function the tests call, inferred from the tests', async () => {
    const renamed = fence(fixed.replace('function sumTo', 'function sumUpTo'));
    const { server, model } = await fakeModel([{ reply: VERDICTS }, { reply: renamed }, { reply: fence(fixed) }]);
    const result = await debug({ code: buggy, tests, model, sandbox });
    expect(result.solved).toBe(true);
    expect(result.iterations[0]!.notes[0]).toContain('the code no longer defines sumTo, which the tests call');
    expect(server.requests).toHaveLength(3);
  });

  it('gives the model the syntax error when the program does not parse', async () => {
    const { server, model } = await fakeModel([{ reply: fence(fixed) }]);
    const result = await debug({ code: 'function sumTo(n) {\n  return n +;\n}\n', tests, model, sandbox });
    expect(result.solved).toBe(true);
    const fixPrompt = (server.requests[0]!.body as { messages: { content: string }[] }).messages.map((m) => m.content).join('\n');
    expect(fixPrompt).toContain('SyntaxError');
  });

  it('works the same through a fake Anthropic Messages server', async () => {
    const server = await startFakeAnthropic([{ reply: VERDICTS }, { reply: fence(fixed) }]);
    servers.push(server);
    const model = createModel('anthropic:claude-test', { env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url }, cache: false });
    const result = await debug({ code: buggy, tests, model, sandbox });
    expect(result.solved).toBe(true);
    expect(server.requests[0]!.path).toBe('/v1/messages');
  });
});
