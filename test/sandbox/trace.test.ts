import { afterAll, describe, expect, it } from 'vitest';
import { runTests, traceTest } from '../../src/api.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { caseSteps, type Trace } from '../../src/sandbox/trace.js';

const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());

const SUM_TO = `function sumTo(n) {
  let total = 0;
  for (let i = 1; i < n; i++) {
    total += i;
  }
  return total;
}`;

const steps = (trace: Trace) => trace.events.map((e) => `${e.block} ${JSON.stringify(e.vars)} [${e.changed.join(',')}]${e.exit ? ` ${e.exit} ${e.value}` : ''}${e.test !== undefined ? ` ${e.test}` : ''}`);

describe('traceTest', () => {
  it('records every block visit with the variables after it and what changed', async () => {
    const trace = await traceTest({ code: SUM_TO, test: 'assert.strictEqual(sumTo(3), 6)', sandbox });
    expect(trace.outcome).toMatchObject({ kind: 'fail', expected: '6', actual: '3' });
    expect(steps(trace)).toEqual([
      'sumTo#0 {"n":"3"} [n]',
      'sumTo#1 {"n":"3","total":"0"} [total]',
      'sumTo#2 {"n":"3","total":"0","i":"1"} [i] true',
      'sumTo#3 {"n":"3","total":"1","i":"1"} [total]',
      'sumTo#2 {"n":"3","total":"1","i":"2"} [i] true',
      'sumTo#3 {"n":"3","total":"3","i":"2"} [total]',
      'sumTo#2 {"n":"3","total":"3","i":"3"} [i] false',
      'sumTo#4 {"n":"3","total":"3"} [] return 3',
    ]);
    expect(trace.returnValue).toBe('3');
    expect(trace.totalEvents).toBe(8);
    expect(trace.truncated).toBe(false);
  });

  it('reads a console.assert comparison as expected vs actual', async () => {
    const trace = await traceTest({ code: SUM_TO, test: 'console.assert(sumTo(4) === 10)', sandbox });
    expect(trace.outcome).toMatchObject({ kind: 'fail', expected: '10', actual: '6' });
    expect(trace.console).toEqual(['Assertion failed']);
  });

  it('shows recursion depth, closures and this', async () => {
    const code = `
const fact = (n) => (n <= 1 ? 1 : n * fact(n - 1));
function counter() {
  let count = 0;
  return () => { count += 1; return count; };
}
class Box { constructor(v) { this.v = v; } double() { this.v *= 2; return this.v; } }`;
    const rec = await traceTest({ code, test: 'assert.strictEqual(fact(3), 6)', sandbox });
    expect(rec.outcome.kind).toBe('pass');
    expect(rec.events.filter((e) => e.block === 'fact#0').map((e) => [e.depth, e.vars.n])).toEqual([[1, '3'], [2, '2'], [3, '1']]);
    const closure = await traceTest({ code, test: 'const next = counter(); next(); assert.strictEqual(next(), 2)', sandbox });
    const inner = closure.events.filter((e) => e.block === 'anonymous#1');
    expect(inner.map((e) => e.vars.count)).toEqual(['1', '2']);
    const method = await traceTest({ code, test: 'assert.strictEqual(new Box(2).double(), 4)', sandbox });
    expect(method.events.find((e) => e.block === 'Box.double#1')?.vars.this).toBe('Box { v: 4 }');
  });

  it('keeps the first and last events of a long run and says how many were dropped', async () => {
    const code = 'function spin(n) { let s = 0; for (let i = 0; i < n; i++) { s += i; } return s; }';
    const trace = await traceTest({ code, test: 'assert.strictEqual(spin(5000), 0)', sandbox, limits: { maxEvents: 100 } });
    expect(trace.events).toHaveLength(100);
    expect(trace.totalEvents).toBe(2 + 2 * 5000 + 2);
    expect(trace.dropped).toBe(trace.totalEvents - 100);
    expect(trace.droppedAt).toBe(20);
    expect(trace.events.at(-1)).toMatchObject({ exit: 'return', value: '12497500' });
  });

  it('ends an infinite loop as a timeout and keeps the partial trace', async () => {
    const code = 'function loop(x) { while (x > 0) { x = x + 1; } return x; }';
    const started = Date.now();
    const trace = await traceTest({ code, test: 'assert.strictEqual(loop(1), 0)', sandbox, limits: { timeMs: 300 } });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(trace.outcome).toEqual({ kind: 'timeout', limitMs: 300 });
    expect(trace.totalEvents).toBeGreaterThan(10);
    expect(trace.events.at(-1)?.block).toMatch(/^loop#/);
  });

  it('ends runaway recursion as RangeError with a partial trace', async () => {
    const trace = await traceTest({ code: 'function down(n) { return down(n + 1); }', test: 'down(0)', sandbox });
    expect(trace.outcome).toMatchObject({ kind: 'error', name: 'RangeError' });
    expect(trace.events.length).toBeGreaterThan(0);
  });

  it('ends a memory blow-up as memory, then the next run works', async () => {
    const code = 'function grow() { const a = []; for (;;) a.push(new Array(1000).fill(1)); }';
    const trace = await traceTest({ code, test: 'grow()', sandbox, limits: { memoryMb: 16, timeMs: 10_000 } });
    expect(trace.outcome).toEqual({ kind: 'memory', limitMb: 16 });
    const next = await traceTest({ code: SUM_TO, test: 'assert.strictEqual(sumTo(4), 6)', sandbox, limits: { memoryMb: 16 } });
    expect(next.outcome.kind).toBe('pass');
  });

  it('maps a thrown error to the line and column in the TypeScript source', async () => {
    const code = 'interface P { name: string }\nfunction first(ps: P[]): string {\n  return ps[0].name;\n}';
    const trace = await traceTest({ code, filename: 'first.ts', test: 'first([])', sandbox });
    expect(trace.outcome).toMatchObject({ kind: 'error', name: 'TypeError', loc: { file: 'first.ts', line: 3, column: 15 } });
    expect(trace.events.at(-1)).toMatchObject({ block: 'first#1', exit: 'interrupted' });
  });

  it('reports a missing module clearly', async () => {
    const trace = await traceTest({ code: "function f() {\n  const md5 = require('js-md5');\n  return md5('');\n}", test: 'f()', sandbox });
    expect(trace.outcome).toMatchObject({ kind: 'error', message: expect.stringContaining("module not available in the sandbox: 'js-md5'") });
  });

  it('traces generators and async functions', async () => {
    const code = `function* evens(n) { for (let i = 0; i < n; i += 2) yield i; }
async function total(xs) { let s = 0; for (const x of xs) { s += await x; } return s; }`;
    const gen = await traceTest({ code, test: 'assert.deepStrictEqual([...evens(5)], [0, 2, 4])', sandbox });
    expect(gen.outcome.kind).toBe('pass');
    const asyncRun = await runTests({ code, tests: 'async function t() { assert.strictEqual(await total([1, 2]), 4) }\nt();', trace: true, sandbox });
    const trace = asyncRun.cases[0]!.trace!;
    expect(trace.outcome).toMatchObject({ kind: 'fail', expected: '4', actual: '3' });
    expect(trace.events.filter((e) => e.block === 'total#3').map((e) => [e.vars.s, e.depth])).toEqual([['1', 1], ['3', 1]]);
  });
});

describe('runTests', () => {
  it('runs each case on its own and counts passes and failures', async () => {
    const run = await runTests({
      code: SUM_TO,
      tests: "const assert = require('node:assert');\nassert.strictEqual(sumTo(1), 0);\nassert.strictEqual(sumTo(3), 6);\nconsole.assert(sumTo(2) === 1);",
      sandbox,
    });
    expect(run.cases.map((c) => c.outcome.kind)).toEqual(['pass', 'fail', 'pass']);
    expect([run.passed, run.failed]).toEqual([2, 1]);
  });

  it('reports a program that throws while loading as an error in every case', async () => {
    const run = await runTests({ code: 'const x = 1;\nundefinedThing();', tests: 'assert.ok(true)', sandbox });
    expect(run.cases[0]!.outcome).toMatchObject({ kind: 'error', name: 'ReferenceError', loc: { line: 2, column: 0 } });
  });
});

describe('steps of loading the program', () => {
  const program = 'function maxOf(xs) {\n  let best = 0;\n  for (const x of xs) if (x > best) best = x;\n  return best;\n}\nconsole.log(maxOf([1, 2, 3]));\n';

  it('marks the top-level demo call as load steps and starts the shown trace at the test', async () => {
    const trace = await traceTest({ code: program, test: 'assert.equal(maxOf([-1]), -1)', sandbox });
    const load = trace.events.filter((e) => e.phase === 'load');
    expect(load.length).toBe(trace.loadEvents);
    expect(load.map((e) => e.block)).toContain('maxOf#0');
    expect(trace.events.slice(0, load.length).every((e) => e.phase === 'load')).toBe(true);
    expect(trace.returnValue).toBe('0');
    const shown = caseSteps(trace);
    expect(shown.events[0]).toMatchObject({ block: 'maxOf#0', depth: 1, vars: { xs: '[ -1 ]' } });
    expect(shown.totalEvents).toBe(trace.totalEvents - load.length);
  });

  it('keeps the load steps in view when the program fails while loading', async () => {
    const trace = await traceTest({ code: 'let n = 1;\nthrow new Error("boom");\n', test: 'assert(true)', sandbox });
    expect(trace.outcome).toMatchObject({ kind: 'error', message: 'boom' });
    expect(trace.events.every((e) => e.phase === 'load')).toBe(true);
    expect(caseSteps(trace).events).toEqual(trace.events);
  });
});
