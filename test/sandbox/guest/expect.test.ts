import { afterAll, describe, expect, it } from 'vitest';
import { runTests, traceTest } from '../../../src/api.js';
import { Sandbox } from '../../../src/sandbox/sandbox.js';
import type { Outcome } from '../../../src/sandbox/trace.js';

// The in-isolate expect and test/describe, run for real in the sandbox.
const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());

const PROGRAM = `function add(a, b) { return a + b; }
async function addLater(a, b) { await null; return a + b; }
function boom(message) { throw new RangeError(message); }`;

/** One test() per line of `bodies`, run; the outcome of each. */
async function outcomes(bodies: string[], code = PROGRAM): Promise<Outcome[]> {
  const tests = bodies.map((body, i) => `test('t${i}', async () => {\n${body}\n});`).join('\n');
  const run = await runTests({ code, tests, testsFilename: 'm.test.js', sandbox });
  return run.cases.map((c) => c.outcome);
}

describe('expect: matchers that hold pass', () => {
  it.each([
    ['toBe', 'expect(add(1, 1)).toBe(2); expect(NaN).toBe(NaN);'],
    ['toEqual', 'expect([1, { a: [2] }]).toEqual([1, { a: [2] }]);'],
    ['toStrictEqual', 'expect(new Map([[1, { b: 2 }]])).toStrictEqual(new Map([[1, { b: 2 }]]));'],
    ['toBeCloseTo', 'expect(0.1 + 0.2).toBeCloseTo(0.3); expect(3.14159).toBeCloseTo(Math.PI, 4);'],
    ['truthiness', "expect(1).toBeTruthy(); expect('').toBeFalsy(); expect(null).toBeNull(); expect(undefined).toBeUndefined(); expect(0).toBeDefined(); expect(0 / 0).toBeNaN();"],
    ['toContain', "expect([1, 2, 3]).toContain(2); expect('hello').toContain('ell'); expect(new Set(['x'])).toContain('x');"],
    ['toHaveLength', "expect([1, 2]).toHaveLength(2); expect('abc').toHaveLength(3);"],
    ['toHaveProperty', "expect({ a: { b: [1, 2] } }).toHaveProperty('a.b.1', 2); expect({ a: 1 }).toHaveProperty(['a']); expect({ a: undefined }).toHaveProperty('a');"],
    ['toMatch', "expect('hello').toMatch(/^h/); expect('hello').toMatch('ll'); const g = /l/g; expect('hello').toMatch(g); expect('hello').toMatch(g);"],
    ['toMatchObject', 'expect({ a: 1, b: { c: 2, d: 3 } }).toMatchObject({ b: { c: 2 } }); expect([{ a: 1, b: 2 }]).toMatchObject([{ a: 1 }]);'],
    ['comparisons', 'expect(3).toBeGreaterThan(2); expect(3).toBeGreaterThanOrEqual(3); expect(3).toBeLessThan(4); expect(3).toBeLessThanOrEqual(3); expect(2n).toBeGreaterThan(1n);'],
    ['toBeInstanceOf', 'expect(new TypeError("x")).toBeInstanceOf(Error); expect([]).toBeInstanceOf(Array);'],
    ['toThrow', "expect(() => boom('too big')).toThrow(RangeError); expect(() => boom('too big')).toThrow('big'); expect(() => boom('x')).toThrow(/x/); expect(() => boom('x')).toThrowError(); expect(() => {}).not.toThrow();"],
    ['not', "expect(1).not.toBe(2); expect([1]).not.toEqual([2]); expect('a').not.toMatch(/b/);"],
    ['resolves/rejects', "await expect(addLater(1, 2)).resolves.toBe(3); await expect(Promise.reject(new Error('no'))).rejects.toThrow('no'); await expect(addLater(1, 1)).resolves.not.toBe(3);"],
  ])('%s', async (_name, body) => {
    expect(await outcomes([body])).toEqual([{ kind: 'pass' }]);
  });
});

describe('expect: a failing matcher fails the test with expected and actual', () => {
  it('reads like an assert failure', async () => {
    const results = await outcomes([
      'expect(add(1, 1)).toBe(3);',
      'expect([add(1, 1)]).toEqual([3]);',
      'expect(add(1, 1)).not.toBe(2);',
      'expect(add(1, 1)).toBeGreaterThan(3);',
      'expect(() => add(1, 1)).toThrow();',
      "expect({ a: 1 }).toHaveProperty('b');",
      'await expect(addLater(1, 1)).resolves.toBe(3);',
      'await expect(addLater(1, 1)).rejects.toThrow();',
      'expect(add(1, 1)).toBeCloseTo(2.1);',
    ]);
    expect(results).toEqual([
      { kind: 'fail', message: 'expected 2 to be 3', expected: '3', actual: '2', loc: { file: 'm.test.js', line: 2, column: expect.any(Number) } },
      expect.objectContaining({ kind: 'fail', message: 'expected [ 2 ] to deeply equal [ 3 ]', expected: '[ 3 ]', actual: '[ 2 ]' }),
      expect.objectContaining({ kind: 'fail', expected: 'not 2', actual: '2' }),
      expect.objectContaining({ kind: 'fail', expected: '> 3', actual: '2' }),
      expect.objectContaining({ kind: 'fail', expected: 'an error', actual: 'nothing thrown' }),
      expect.objectContaining({ kind: 'fail', expected: "property 'b'" }),
      expect.objectContaining({ kind: 'fail', expected: '3', actual: '2', loc: { file: 'm.test.js', line: 20, column: expect.any(Number) } }),
      expect.objectContaining({ kind: 'fail', expected: 'a rejected promise', actual: 'fulfilled with 2' }),
      expect.objectContaining({ kind: 'fail', expected: '2.1 (2 digits)', actual: '2' }),
    ]);
  });

  it('shows "expected 3, got 2" in a trace, pointing at the failing line of a test with several', async () => {
    const tests = "describe('add', () => {\n  test('small', () => {\n    expect(add(1, 0)).toBe(1);\n    expect(add(1, 1)).toBe(3);\n  });\n});";
    const trace = await traceTest({ code: PROGRAM, test: tests, testsFilename: 'add.test.js', sandbox });
    expect(trace.outcome).toMatchObject({ kind: 'fail', expected: '3', actual: '2', loc: { file: 'add.test.js', line: 4 } });
    expect(trace.events.filter((e) => e.block === 'add#0')).toHaveLength(2);
  });
});

describe('expect and test/describe are ldb\'s whatever the program does', () => {
  it('keeps its verdict when the program replaces the globals and the built-ins it could reach', async () => {
    const hostile = `${PROGRAM}
function expect() { return { toBe() {} }; }
function test(name, fn) {}
function describe() {}
Object.is = () => true;
Array.isArray = () => false;
Promise.prototype.then = function (ok) { ok(); };
Object.defineProperty(Object.prototype, 'toBe', { get() { return () => {}; } });
require('vitest').test('t0', () => {});`;
    const results = await outcomes(['expect(add(1, 1)).toBe(3);', 'await null; expect(add(1, 1)).toEqual([2]);', 'expect(add(1, 1)).toBe(2);'], hostile);
    expect(results.map((o) => o.kind)).toEqual(['fail', 'fail', 'pass']);
  });

  it('runs no getter of a thrown value or of a compared object', async () => {
    const code = `${PROGRAM}
let reads = 0;
function sneaky() { const e = new Error('x'); Object.defineProperty(e, 'message', { get() { reads++; return 'x'; } }); throw e; }
const tricky = { get a() { reads++; return 1; } };`;
    const results = await outcomes(["expect(sneaky).toThrow('x');", "expect(tricky).toHaveProperty('a', 1);", 'expect(reads).toBe(0);'], code);
    // Neither matcher sees the value behind a getter, so both fail, saying so; nothing was read.
    expect(results.map((o) => o.kind)).toEqual(['fail', 'fail', 'pass']);
    expect(results[1]).toMatchObject({ actual: 'a getter (ldb does not run it)' });
  });

  it('ends a case with an error, never a pass, when the program takes the suite first', async () => {
    // Reached from inside a function (a top-level require of it is refused before anything runs).
    const code = `${PROGRAM}\nfunction take() { return require('ldb:suite').collect(); }\ntake();`;
    const [result] = await outcomes(['expect(add(1, 1)).toBe(2);'], code);
    expect(result).toMatchObject({ kind: 'error', message: expect.stringContaining('collected twice') });
  });
});
