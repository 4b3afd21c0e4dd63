import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepOutput } from '../../src/mcp/schemas.js';
import { connect, ROOT, SUM, type Connected } from './helpers.js';

const buggy = await readFile(`${ROOT}fixtures/js/off-by-one-sum.js`, 'utf8');
const fixedPath = 'fixtures/js/off-by-one-sum.fixed.js';

let ldb: Connected;
beforeAll(async () => {
  ldb = await connect();
});
afterAll(async () => {
  await ldb.close();
});

describe('ldb mcp tools over the in-memory transport', () => {
  it('lists the six tools (no fix without a model) and declares the workflow', async () => {
    const { tools } = await ldb.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['run_tests', 'trace_test', 'query_trace', 'debug_context', 'check_verdicts', 'check_patch']);
    for (const tool of tools) expect(tool.outputSchema).toBeDefined();
    expect(ldb.client.getInstructions()).toMatch(/run_tests.*trace_test.*query_trace.*debug_context.*check_verdicts.*check_patch/s);
  });

  it('run_tests: every case with its outcome', async () => {
    const answer = await ldb.call('run_tests', SUM);
    expect(answer.isError).toBe(false);
    expect(answer.data).toMatchObject({ passed: 1, failed: 3, total: 4 });
    expect((answer.data.cases as unknown[])[1]).toMatchObject({ index: 1, outcome: { kind: 'fail', expected: '6', actual: '3' } });
    expect(answer.text).toContain('FAIL [1] assert.strictEqual(sumTo(3), 6);  -> failed: expected 6, got 3');
  });

  it('run_tests: a TypeScript program given as text, with console output and an error line', async () => {
    const program = 'function half(n: number): number {\n  console.log("halving", n);\n  if (n < 0) throw new RangeError("negative");\n  return n / 2;\n}\n';
    const answer = await ldb.call('run_tests', { program, filename: 'half.ts', tests: 'assert.strictEqual(half(4), 2);\nassert.strictEqual(half(-2), -1);' });
    const cases = answer.data.cases as { outcome: { kind: string; name?: string; loc?: { line: number } }; console: string[] }[];
    expect(cases[0]).toMatchObject({ outcome: { kind: 'pass' }, console: ['halving 4'] });
    expect(cases[1]!.outcome).toMatchObject({ kind: 'error', name: 'RangeError', loc: { line: 3 } });
  });

  it('trace_test: a case by index gives the compacted trace and the steps', async () => {
    const answer = await ldb.call('trace_test', { ...SUM, test: 1 });
    expect(answer.data).toMatchObject({ test: 'assert.strictEqual(sumTo(3), 6);', totalSteps: 8, from: 1, nextFrom: null, notRecorded: null });
    const steps = answer.data.steps as StepOutput[];
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(steps[3]).toMatchObject({ block: 'sumTo#3', line: 11, vars: { n: '3', total: '1', i: '1' }, changed: ['total'] });
    expect(steps[7]).toMatchObject({ exit: 'return', value: '3' });
    expect(answer.text).toContain('step 3 · block sumTo#2 loop, line 10 · test → true');
    expect((answer.data.compact as { text: string }).text).toBe(answer.text.split('\nThe steps')[0]);
  });

  it('trace_test: pages through a long run, deep pages by deterministic re-execution', async () => {
    const program = 'function spin(n) {\n  let s = 0;\n  for (let i = 0; i < n; i++) {\n    s += i;\n  }\n  return s;\n}\n';
    const first = await ldb.call('trace_test', { program, test: 'assert.strictEqual(spin(3000), 0)', maxSteps: 10 });
    expect(first.data).toMatchObject({ totalSteps: 6004, from: 1, nextFrom: 11 });
    const deep = await ldb.call('trace_test', { program, test: 'assert.strictEqual(spin(3000), 0)', from: 3000, maxSteps: 4 });
    expect(deep.isError).toBe(false);
    const steps = deep.data.steps as StepOutput[];
    // step 2k+2 is the loop body's k-th run (i = k - 1): step 3000 adds i = 1498.
    expect(steps.map((s) => [s.step, s.block, s.vars.i])).toEqual([
      [3000, 'spin#3', '1498'],
      [3001, 'spin#2', '1499'],
      [3002, 'spin#3', '1499'],
      [3003, 'spin#2', '1500'],
    ]);
    expect(deep.data).toMatchObject({ compact: null, notRecorded: null, nextFrom: 3004 });
    expect(deep.text).toContain('step 3000 · spin#3, line 4');
  });

  it('query_trace: a variable at every visit of a block', async () => {
    const answer = await ldb.call('query_trace', { ...SUM, test: 1, variable: 'total', block: 'sumTo#3' });
    expect(answer.data.matches).toEqual([
      { step: 4, block: 'sumTo#3', line: 11, value: '1', changed: true },
      { step: 6, block: 'sumTo#3', line: 11, value: '3', changed: true },
    ]);
  });

  it('query_trace: the steps where an expression holds, evaluated in the sandbox', async () => {
    const answer = await ldb.call('query_trace', { ...SUM, test: 'assert.strictEqual(sumTo(3), 6)', where: 'total > 1 && i !== undefined' });
    expect((answer.data.matches as { step: number }[]).map((m) => m.step)).toEqual([6, 7]);
    const host = await ldb.call('query_trace', { ...SUM, test: 1, where: "typeof process === 'undefined' && typeof Buffer === 'undefined'" });
    expect(host.data).toMatchObject({ matchCount: 8 });
  });

  it('query_trace: when did a value become NaN', async () => {
    const program = 'function mean(xs) {\n  let total = 0;\n  for (const x of xs) {\n    total += x;\n  }\n  return total / xs.length;\n}\n';
    const answer = await ldb.call('query_trace', { program, test: 'assert.strictEqual(mean([1, undefined, 3]), 2)', where: 'Number.isNaN(total)', variable: 'total', maxResults: 1 });
    expect(answer.data).toMatchObject({ matchCount: 4, matches: [{ step: 6, value: 'NaN', changed: true }] });
    expect(answer.text).toContain('step 6 · mean#3, line 4: total = NaN*');
  });

  it('query_trace: an expression that throws at some steps says so; one that never ends is stopped', async () => {
    const throwing = await ldb.call('query_trace', { ...SUM, test: 1, where: 'i.toFixed(0) === "1"' });
    expect(throwing.data).toMatchObject({ matchCount: 2, errors: { steps: 3 } });
    expect(throwing.text).toMatch(/threw at 3 step\(s\).*step 1: TypeError/);
    const endless = await ldb.call('query_trace', { ...SUM, test: 1, where: '(() => { for (;;) {} })()', timeLimitMs: 300 });
    expect(endless).toMatchObject({ isError: true, text: 'where: the expression did not finish within 300 ms' });
  });

  it('debug_context: the judging prompt, the ids to judge and the verdict shape', async () => {
    const answer = await ldb.call('debug_context', { ...SUM, task: 'Sum 1..n inclusive.' });
    expect(answer.data).toMatchObject({ failing: true, caseIndex: 1, test: 'assert.strictEqual(sumTo(3), 6);', failure: 'It failed: expected 6, got 3.', level: 'block' });
    expect((answer.data.targets as { id: string }[]).map((t) => t.id)).toEqual(['sumTo#1', 'sumTo#2', 'sumTo#3', 'sumTo#4']);
    const [system, user] = answer.data.messages as { role: string; content: string }[];
    expect(system!.role).toBe('system');
    expect(user!.content).toContain('Task:\nSum 1..n inclusive.');
    expect(user!.content).toContain('10|   for (let i = 1; i < n; i++) {');
    expect(answer.data.verdictShape).toContain('sumTo#1, sumTo#2, sumTo#3, sumTo#4');
    const passing = await ldb.call('debug_context', { programPath: fixedPath, testsPath: SUM.testsPath });
    expect(passing.data).toMatchObject({ failing: false, targets: [], messages: [] });
  });

  it('check_verdicts: accepts good verdicts, names what is malformed or unknown', async () => {
    const good = [
      { block: 'sumTo#1', correct: true, explanation: 'starts at 0' },
      { block: 'sumTo#2', correct: false, explanation: 'stops before n' },
      { block: 'sumTo#3', correct: true, explanation: 'adds i' },
      { block: 'sumTo#4', correct: true, explanation: 'returns the sum' },
    ];
    const ok = await ldb.call('check_verdicts', { ...SUM, verdicts: good });
    expect(ok.data).toMatchObject({ ok: true, missing: [], warnings: [] });
    expect(ok.text).toContain('wrong: sumTo#2');
    const malformed = await ldb.call('check_verdicts', { ...SUM, verdicts: { verdicts: [{ block: 'sumTo#2', correct: 'maybe' }] } });
    expect(malformed.data).toMatchObject({ ok: false, error: 'invalid verdicts: verdicts[0].correct must be true or false (got "maybe")' });
    const unknown = await ldb.call('check_verdicts', { ...SUM, verdicts: '```json\n[{"block": "sum#9", "correct": false}]\n```' });
    expect(unknown.data).toMatchObject({ ok: false });
    expect(unknown.data.error).toContain('use these ids: sumTo#1, sumTo#2, sumTo#3, sumTo#4');
  });

  it('check_patch: tests, what the tests call, and the diff', async () => {
    const answer = await ldb.call('check_patch', { programPath: fixedPath, testsPath: SUM.testsPath, original: buggy, filename: 'sum.js' });
    expect(answer.data).toMatchObject({ passed: 4, failed: 0, defines: { called: ['sumTo'], missing: [] } });
    expect(answer.data.diff).toContain('-  for (let i = 1; i < n; i++) {\n+  for (let i = 1; i <= n; i++) {');
    const renamed = await ldb.call('check_patch', { program: buggy.replace('function sumTo', 'function sumUpTo'), testsPath: SUM.testsPath });
    expect(renamed.data).toMatchObject({ passed: 0, defines: { called: ['sumTo'], missing: ['sumTo'] }, diff: null });
    expect(renamed.text).toContain('The patch no longer defines: sumTo.');
  });
});
