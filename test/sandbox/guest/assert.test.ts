import hostAssert from 'node:assert';
import { readFileSync } from 'node:fs';
import ivm from 'isolated-vm';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAssert } from '../../../src/sandbox/guest/assert.js';
import { createRenderer } from '../../../src/sandbox/guest/render.js';

// Installed as the sandbox does: renderer first, then assert with render bound to default caps.
const installSource = `
  globalThis.R = (${createRenderer.toString()})();
  globalThis.assert = (${createAssert.toString()})((value) => R.render(value, { depth: 2, items: 10, stringLength: 80 }));
`;

let isolate: ivm.Isolate;
let context: ivm.Context;

function freshContext(): ivm.Context {
  const ctx = isolate.createContextSync();
  ctx.evalSync(installSource);
  return ctx;
}

interface Outcome {
  threw: boolean;
  isAssertionError?: boolean;
  name?: string;
  message?: string;
  code?: string;
  operator?: string;
  generatedMessage?: boolean;
  actualText?: string;
  expectedText?: string;
}

// Runs `code` (statements) inside the isolate and describes what it threw, if anything.
const describeOutcome = `(error) => JSON.stringify(error === undefined ? { threw: false } : {
  threw: true, isAssertionError: error instanceof assert.AssertionError, name: error.name, message: error.message,
  code: error.code, operator: error.operator, generatedMessage: error.generatedMessage,
  actualText: error.actualText, expectedText: error.expectedText,
})`;

function run(code: string, ctx: ivm.Context = context): Outcome {
  const json = ctx.evalSync(`(() => { const report = ${describeOutcome}; try { ${code}; return report(undefined) } catch (e) { return report(e) } })()`);
  return JSON.parse(json as string) as Outcome;
}

async function runAsync(code: string): Promise<Outcome> {
  const json = await context.eval(
    `(async () => { const report = ${describeOutcome}; try { ${code}; return report(undefined) } catch (e) { return report(e) } })()`,
    { promise: true },
  );
  return JSON.parse(json as string) as Outcome;
}

beforeAll(() => {
  isolate = new ivm.Isolate({ memoryLimit: 64 });
  context = freshContext();
});

afterAll(() => {
  isolate.dispose();
});

describe('injection', () => {
  test('the stringified factory evaluates in a bare context', () => {
    const ctx = isolate.createContextSync();
    expect(ctx.evalSync(`typeof (${createAssert.toString()})(String).deepStrictEqual`)).toBe('function');
  });

  test('the tsc-compiled factory is self-contained too', () => {
    const source = readFileSync(new URL('../../../src/sandbox/guest/assert.ts', import.meta.url), 'utf8');
    const compiled = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
    }).outputText;
    const ctx = isolate.createContextSync();
    ctx.evalSync(installSource);
    // Define the compiled function as a script global, then re-inject it from its own text.
    ctx.evalSync(compiled.replace(/^export /gm, ''));
    ctx.evalSync(`globalThis.assert = (0, eval)('(' + createAssert.toString() + ')')((v) => R.render(v, { depth: 2, items: 10, stringLength: 80 }));`);
    expect(run('assert.deepStrictEqual({ a: [1] }, { a: [2] })', ctx)).toMatchObject({ isAssertionError: true, actualText: '{ a: [ 1 ] }' });
    expect(run('assert.deepEqual([1], ["1"])', ctx).threw).toBe(false);
  });

  test('still works after the module is deep-frozen, as the bootstrap does', () => {
    const ctx = freshContext();
    ctx.evalSync(`
      const deepFreeze = (value) => {
        if ((typeof value === 'object' || typeof value === 'function') && value !== null && !Object.isFrozen(value)) {
          Object.freeze(value);
          for (const key of Reflect.ownKeys(value)) {
            const d = Object.getOwnPropertyDescriptor(value, key);
            if (d && 'value' in d) deepFreeze(d.value);
          }
        }
        return value;
      };
      deepFreeze(assert);
    `);
    expect(run('assert.strictEqual(1, 2)', ctx)).toMatchObject({ threw: true, isAssertionError: true, generatedMessage: true });
    expect(run(`assert.throws(() => { throw new Error('x') }, { message: 'y' })`, ctx)).toMatchObject({ isAssertionError: true });
  });
});

describe('module shape', () => {
  test('callable, with node names and the strict variant', () => {
    const shape = JSON.parse(
      context.evalSync(`JSON.stringify({
        callable: typeof assert, okIsAssert: assert.ok === assert, strictCallable: typeof assert.strict,
        strictEqualIsStrict: assert.strict.equal === assert.strictEqual, strictDeep: assert.strict.deepEqual === assert.deepStrictEqual,
        strictNotEqual: assert.strict.notEqual === assert.notStrictEqual, strictNotDeep: assert.strict.notDeepEqual === assert.notDeepStrictEqual,
        strictStrict: assert.strict.strict === assert.strict, errorClass: assert.AssertionError.name,
        strictError: assert.strict.AssertionError === assert.AssertionError,
        methods: ['ok', 'equal', 'notEqual', 'strictEqual', 'notStrictEqual', 'deepEqual', 'notDeepEqual', 'deepStrictEqual',
          'notDeepStrictEqual', 'throws', 'doesNotThrow', 'rejects', 'doesNotReject', 'match', 'doesNotMatch', 'fail', 'ifError']
          .filter((name) => typeof assert[name] !== 'function' || typeof assert.strict[name] !== 'function'),
      })`) as string,
    );
    expect(shape).toEqual({
      callable: 'function',
      okIsAssert: true,
      strictCallable: 'function',
      strictEqualIsStrict: true,
      strictDeep: true,
      strictNotEqual: true,
      strictNotDeep: true,
      strictStrict: true,
      errorClass: 'AssertionError',
      strictError: true,
      methods: [],
    });
  });

  test('assert.strict is strict', () => {
    expect(run(`assert.strict.equal(1, '1')`).threw).toBe(true);
    expect(run(`assert.strict.deepEqual([1], ['1'])`).threw).toBe(true);
    expect(run(`assert.strict(0)`)).toMatchObject({ threw: true, message: '0 == true' });
    expect(run(`assert.equal(1, '1')`).threw).toBe(false);
  });
});

// Pairs evaluated in both realms; pass/fail must match node's own assert (the host runs node 20).
const pairs: [string, string][] = [
  ['1', '1'],
  ['1', "'1'"],
  ['0', '-0'],
  ['NaN', 'NaN'],
  ['null', 'undefined'],
  ['0', 'false'],
  ["''", '0'],
  ['1n', '1'],
  ['0.1 + 0.2', '0.3'],
  ["'abc'", "'abc'"],
  ["'abc'", "'abd'"],
  ["Symbol.for('a')", "Symbol.for('a')"],
  ['(function () {})', '(function () {})'],
  ['[1, 2, 3]', '[1, 2, 3]'],
  ['[1, 2, 3]', '[1, 2, 4]'],
  ['[1, 2]', '[1, 2, 3]'],
  ['[1, [2, [3]]]', '[1, [2, [3]]]'],
  ['[1, [2, [3]]]', '[1, [2, [4]]]'],
  ['[[1, 2], [3, 4]]', '[[1, 2], [4, 3]]'],
  ['[1]', "['1']"],
  ['[true]', '[1]'],
  ['[null]', '[undefined]'],
  ['[0.1 + 0.2]', '[0.3]'],
  ['[1, , 3]', '[1, undefined, 3]'],
  ['[1, , 3]', '[1, , 3]'],
  ['[]', '{}'],
  ['Object.assign([1, 2], { extra: 1 })', '[1, 2]'],
  ['[1, 2, 3].map((x) => x * 2)', '[2, 4, 6]'],
  ['{ a: 1, b: 2 }', '{ b: 2, a: 1 }'],
  ['{ a: 1 }', '{ a: 1, b: undefined }'],
  ['{ a: undefined }', '{ b: undefined }'],
  ['{ a: [1, { b: 2 }] }', '{ a: [1, { b: 2 }] }'],
  ["{ a: 1 }", "{ a: '1' }"],
  ['{ a: NaN }', '{ a: NaN }'],
  ['{ a: 1n }', '{ a: 1 }'],
  ['new (class A { constructor() { this.x = 1 } })()', '{ x: 1 }'],
  ['Object.create(null)', '{}'],
  ['Object.create({ a: 1 })', '{}'],
  ["{ [Symbol.for('s')]: 1 }", "{ [Symbol.for('s')]: 1 }"],
  ["{ [Symbol.for('s')]: 1 }", '{}'],
  ['new Map([[1, 2]])', 'new Map([[1, 2]])'],
  ['new Map([[1, 2]])', 'new Map([[1, 3]])'],
  ['new Map([[1, 2]])', "new Map([['1', 2]])"],
  ['new Map([[{ a: 1 }, 2]])', 'new Map([[{ a: 1 }, 2]])'],
  ['new Map([[{ a: 1 }, 2]])', 'new Map([[{ a: 1 }, 3]])'],
  ['new Map([[1, { a: 1 }], [2, { b: 2 }]])', 'new Map([[2, { b: 2 }], [1, { a: 1 }]])'],
  ['new Map([[NaN, 1]])', 'new Map([[NaN, 1]])'],
  ["new Map([[1, 'a'], ['1', 'b']])", "new Map([['1', 'a'], [1, 'b']])"],
  ['new Map([[null, 1]])', 'new Map([[undefined, 1]])'],
  ['new Set([1, 2])', 'new Set([2, 1])'],
  ['new Set([1])', "new Set(['1'])"],
  ['new Set([{ a: 1 }, { b: 2 }])', 'new Set([{ b: 2 }, { a: 1 }])'],
  ['new Set([{ a: 1 }])', 'new Set([{ a: 2 }])'],
  ['new Set([null])', 'new Set([undefined])'],
  ['new Set([NaN])', 'new Set([NaN])'],
  ["new Set([1, '1'])", "new Set(['1', 1])"],
  ['new Set([[1], [1]])', 'new Set([[1], [2]])'],
  ['new Date(0)', 'new Date(0)'],
  ['new Date(0)', 'new Date(1)'],
  ['/a/g', '/a/g'],
  ['/a/g', '/a/i'],
  ["new Error('x')", "new Error('x')"],
  ["new Error('x')", "new TypeError('x')"],
  ["new Error('x')", "new Error('y')"],
  ['new Number(1)', 'new Number(1)'],
  ['new Number(1)', '1'],
  ['new Number(NaN)', 'new Number(NaN)'],
  ["new String('a')", "new String('a')"],
  ["new String('a')", "new String('b')"],
  ['new Boolean(true)', 'new Boolean(false)'],
  ['Object(1n)', 'Object(1n)'],
  ['new Uint8Array([1, 2])', 'new Uint8Array([1, 2])'],
  ['new Uint8Array([1, 2])', 'new Int8Array([1, 2])'],
  ['new Uint8Array([1, 2])', 'new Uint8Array([1, 3])'],
  ['new Float64Array([0])', 'new Float64Array([-0])'],
  ['new Float64Array([NaN])', 'new Float64Array([NaN])'],
  ['new Uint8Array([1]).buffer', 'new Uint8Array([1]).buffer'],
  ['new Uint8Array([1]).buffer', 'new Uint8Array([2]).buffer'],
  ['(function () { return arguments })(1, 2)', '[1, 2]'],
  ['(function () { return arguments })(1, 2)', '(function () { return arguments })(1, 2)'],
  ['new WeakMap()', 'new WeakMap()'],
  ['Promise.resolve(1)', 'Promise.resolve(2)'],
  ['(() => { const a = { x: 1 }; a.self = a; return a })()', '(() => { const b = { x: 1 }; b.self = b; return b })()'],
  ['(() => { const a = { x: 1 }; a.self = a; return a })()', '(() => { const b = { x: 1 }; b.self = { x: 1, self: b }; return b })()'],
  ['(() => { const a = [1]; a.push(a); return a })()', '(() => { const b = [1]; b.push(b); return b })()'],
  ['(() => { const a = [1]; a.push(a); return a })()', '(() => { const b = [1]; b.push([1, b]); return b })()'],
];

const comparisons = ['equal', 'notEqual', 'strictEqual', 'notStrictEqual', 'deepEqual', 'notDeepEqual', 'deepStrictEqual', 'notDeepStrictEqual'];

describe('comparisons agree with node:assert', () => {
  test.each(pairs)('%s vs %s', (actual, expected) => {
    const host: Record<string, boolean> = {};
    const guest: Record<string, boolean> = {};
    for (const name of comparisons) {
      const call = `assert.${name}(${actual}, ${expected})`;
      try {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the expressions are test fixtures
        new Function('assert', call)(hostAssert);
        host[name] = true;
      } catch {
        host[name] = false;
      }
      guest[name] = !run(call).threw;
    }
    expect(guest).toEqual(host);
  });
});

describe('messages and AssertionError fields', () => {
  test('strictEqual', () => {
    expect(run('assert.strictEqual(1, 2)')).toEqual({
      threw: true,
      isAssertionError: true,
      name: 'AssertionError',
      message: 'Expected values to be strictly equal:\n\n1 !== 2\n',
      code: 'ERR_ASSERTION',
      operator: 'strictEqual',
      generatedMessage: true,
      actualText: '1',
      expectedText: '2',
    });
    expect(run(`assert.strictEqual({ a: 1 }, { a: 1 })`).message).toBe(
      'Values have same structure but are not reference-equal:\n\n{ a: 1 }\n',
    );
  });

  test('deepStrictEqual on the nested arrays MultiPL-E compares', () => {
    expect(run(`assert.deepStrictEqual([[1, 2], [3]], [[1, 2], [4]])`)).toMatchObject({
      message: 'Expected values to be strictly deep-equal:\n+ actual - expected\n\n+ [ [ 1, 2 ], [ 3 ] ]\n- [ [ 1, 2 ], [ 4 ] ]',
      operator: 'deepStrictEqual',
      actualText: '[ [ 1, 2 ], [ 3 ] ]',
      expectedText: '[ [ 1, 2 ], [ 4 ] ]',
    });
  });

  test('deepStrictEqual notes differences deeper than the rendering', () => {
    expect(run(`assert.deepStrictEqual([[[[1]]]], [[[[2]]]])`).message).toContain('(the values differ beyond the rendered depth)');
  });

  test.each([
    ['assert.equal(1, 2)', '1 == 2', '=='],
    ['assert.notEqual(1, 1)', '1 != 1', '!='],
    ['assert.notStrictEqual(1, 1)', 'Expected "actual" to be strictly unequal to: 1', 'notStrictEqual'],
    [
      `assert.deepEqual({ a: [1, 2] }, { a: [1, 3] })`,
      'Expected values to be loosely deep-equal:\n\n{ a: [ 1, 2 ] }\n\nshould loosely deep-equal\n\n{ a: [ 1, 3 ] }',
      'deepEqual',
    ],
    ['assert.notDeepEqual([1], [1])', 'Expected "actual" not to be loosely deep-equal to:\n\n[ 1 ]', 'notDeepEqual'],
    ['assert.notDeepStrictEqual([1], [1])', 'Expected "actual" not to be strictly deep-equal to: [ 1 ]', 'notDeepStrictEqual'],
    ['assert.notDeepStrictEqual([1, 2], [1, 2])', 'Expected "actual" not to be strictly deep-equal to:\n\n[ 1, 2 ]', 'notDeepStrictEqual'],
    ['assert.notStrictEqual(Math, Math)', 'Expected "actual" not to be reference-equal to "expected":\n\nObject [Math] {}', 'notStrictEqual'],
    ['assert.notDeepEqual([1], ["1"])', "Expected values not to be loosely deep-equal:\n\n[ 1 ]\n\nshould not loosely deep-equal\n\n[ '1' ]", 'notDeepEqual'],
    ["assert.strictEqual('hello world', 'hello there')", "Expected values to be strictly equal:\n+ actual - expected\n\n+ 'hello world'\n- 'hello there'", 'strictEqual'],
    ['assert.strictEqual([1], [2])', 'Expected "actual" to be reference-equal to "expected":\n+ actual - expected\n\n+ [ 1 ]\n- [ 2 ]', 'strictEqual'],
    ['assert.deepStrictEqual(1, 2)', 'Expected values to be strictly deep-equal:\n\n1 !== 2\n', 'deepStrictEqual'],
    ['assert.ok(0)', '0 == true', '=='],
    ['assert(false)', 'false == true', '=='],
    [`assert('')`, `'' == true`, '=='],
    ['assert.ok()', 'No value argument passed to `assert.ok()`', '=='],
    ['assert.fail()', 'Failed', 'fail'],
    [`assert.fail('boom')`, 'boom', 'fail'],
    ['assert.fail(1, 2)', '1 != 2', '!='],
    [`assert.match('abc', /x/)`, "The input did not match the regular expression /x/. Input:\n\n'abc'\n", 'match'],
    ['assert.match(1, /x/)', 'The "string" argument must be of type string. Received type number (1)', 'match'],
    [`assert.doesNotMatch('abc', /b/)`, "The input was expected to not match the regular expression /b/. Input:\n\n'abc'\n", 'doesNotMatch'],
    [`assert.ifError(new Error('e'))`, 'ifError got unwanted exception: e', 'ifError'],
    [`assert.ifError('s')`, "ifError got unwanted exception: 's'", 'ifError'],
  ])('%s', (code, message, operator) => {
    expect(run(code)).toMatchObject({ threw: true, isAssertionError: true, message, operator });
  });

  test('generatedMessage', () => {
    expect(run('assert.strictEqual(1, 2)').generatedMessage).toBe(true);
    // Like node 20, the strict operators keep the comparison under a custom message.
    expect(run(`assert.strictEqual(1, 2, 'custom')`)).toMatchObject({ message: 'custom\n\n1 !== 2\n', generatedMessage: false });
    expect(run(`assert.deepStrictEqual([1], [2], 'custom')`)).toMatchObject({
      message: 'custom\n+ actual - expected\n\n+ [ 1 ]\n- [ 2 ]',
      generatedMessage: false,
    });
    expect(run(`assert.deepEqual([1], [2], 'custom')`)).toMatchObject({ message: 'custom', generatedMessage: false });
    expect(run('assert.fail()').generatedMessage).toBe(true);
    expect(run(`assert.fail('x')`).generatedMessage).toBe(false);
    expect(run(`assert(false, 'why')`)).toMatchObject({ message: 'why', generatedMessage: false, actualText: 'false', expectedText: 'true' });
  });

  test('an Error passed as the message is thrown as is', () => {
    expect(run(`assert.strictEqual(1, 2, new RangeError('mine'))`)).toMatchObject({ isAssertionError: false, name: 'RangeError', message: 'mine' });
    expect(run(`assert.ok(false, new TypeError('t'))`)).toMatchObject({ isAssertionError: false, name: 'TypeError' });
  });

  test('passing assertions return undefined', () => {
    expect(
      context.evalSync(`[assert(1), assert.ok(true), assert.equal(1, '1'), assert.deepEqual([1], ['1']), assert.deepStrictEqual({ a: [1] }, { a: [1] }),
        assert.match('abc', /b/), assert.ifError(null), assert.ifError(undefined), assert.doesNotThrow(() => 1)].every((x) => x === undefined)`),
    ).toBe(true);
  });

  test('actual and expected keep the original values', () => {
    expect(
      context.evalSync(`(() => { const a = [1]; const b = [2]; try { assert.deepStrictEqual(a, b) } catch (e) {
        return e.actual === a && e.expected === b && Object.keys(e).join() === 'generatedMessage,code,actual,expected,operator' } })()`),
    ).toBe(true);
  });

  test('the stack starts at the caller, not inside assert', () => {
    const stack = context.evalSync(`(() => { function userCheck() { assert.strictEqual(1, 2) } try { userCheck() } catch (e) { return e.stack } })()`) as string;
    expect(stack.split('\n')[0]).toBe('AssertionError: Expected values to be strictly equal:');
    expect(stack.split('\n').find((line) => line.trimStart().startsWith('at '))).toContain('userCheck');
  });

  test('AssertionError can be constructed by user code', () => {
    expect(run(`throw new assert.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' })`)).toMatchObject({
      isAssertionError: true,
      message: 'Expected values to be strictly equal:\n\n1 !== 2\n',
      generatedMessage: true,
      actualText: '1',
      expectedText: '2',
    });
    expect(run(`throw new assert.AssertionError({ message: 'm' })`)).toMatchObject({ message: 'm', generatedMessage: false });
    expect(run(`new assert.AssertionError(1)`)).toMatchObject({ name: 'TypeError' });
    expect(context.evalSync(`new assert.AssertionError({}) instanceof Error`)).toBe(true);
  });

  test('the renderer shows an AssertionError readably', () => {
    expect(context.evalSync(`(() => { try { assert.strictEqual(1, 2) } catch (e) { return R.render(e, { depth: 2, items: 10, stringLength: 200 }) } })()`)).toBe(
      "AssertionError: Expected values to be strictly equal:\\n\\n1 !== 2\\n { generatedMessage: true, code: 'ERR_ASSERTION', actual: 1, expected: 2, operator: 'strictEqual' }",
    );
  });
});

describe('throws and doesNotThrow', () => {
  const thrower = `() => { throw new TypeError('bad input') }`;

  test.each([
    [`assert.throws(${thrower})`, false],
    [`assert.throws(${thrower}, TypeError)`, false],
    [`assert.throws(${thrower}, Error)`, false],
    [`assert.throws(${thrower}, /bad/)`, false],
    [`assert.throws(${thrower}, /TypeError: bad/)`, false],
    [`assert.throws(${thrower}, (e) => e instanceof TypeError)`, false],
    [`assert.throws(${thrower}, { name: 'TypeError', message: 'bad input' })`, false],
    [`assert.throws(${thrower}, { message: /input/ })`, false],
    [`assert.throws(${thrower}, new TypeError('bad input'))`, false],
    [`assert.throws(${thrower}, 'a message')`, false],
    [`assert.throws(() => { throw 'str' }, (e) => e === 'str')`, false],
    [`assert.doesNotThrow(() => 1)`, false],
  ])('%s passes', (code) => {
    expect(run(code).threw).toBe(false);
  });

  test.each([
    [`assert.throws(() => {})`, 'Missing expected exception.'],
    [`assert.throws(() => {}, TypeError)`, 'Missing expected exception (TypeError).'],
    [`assert.throws(() => {}, 'boom')`, 'Missing expected exception: boom'],
    [`assert.throws(() => {}, TypeError, 'boom')`, 'Missing expected exception (TypeError): boom'],
    [`assert.throws(${thrower}, RangeError)`, 'The error is expected to be an instance of "RangeError". Received "TypeError"\n\nError message:\n\nbad input'],
    [`assert.throws(${thrower}, /nope/)`, "The input did not match the regular expression /nope/. Input:\n\n'TypeError: bad input'\n"],
    [
      `assert.throws(${thrower}, (e) => false)`,
      'The validation function is expected to return "true". Received false\n\nCaught error:\n\nTypeError: bad input',
    ],
    [
      `assert.throws(${thrower}, function check() { return 1 })`,
      'The "check" validation function is expected to return "true". Received 1\n\nCaught error:\n\nTypeError: bad input',
    ],
    [
      `assert.throws(${thrower}, { message: 'other' })`,
      "Expected values to be strictly deep-equal:\n+ actual - expected\n\n+ { message: 'bad input' }\n- { message: 'other' }",
    ],
    [`assert.doesNotThrow(${thrower})`, 'Got unwanted exception.\nActual message: "bad input"'],
    [`assert.doesNotThrow(${thrower}, 'why')`, 'Got unwanted exception: why\nActual message: "bad input"'],
    [`assert.doesNotThrow(${thrower}, TypeError)`, 'Got unwanted exception.\nActual message: "bad input"'],
  ])('%s fails', (code, message) => {
    expect(run(code)).toMatchObject({ threw: true, isAssertionError: true, message });
  });

  test('operator and values of a failed throws', () => {
    expect(run(`assert.throws(${thrower}, { message: 'other' })`)).toMatchObject({
      operator: 'throws',
      actualText: 'TypeError: bad input',
      expectedText: "{ message: 'other' }",
    });
    expect(run(`assert.throws(() => {})`)).toMatchObject({ operator: 'throws', generatedMessage: false });
  });

  test('a non-matching error passes through doesNotThrow untouched', () => {
    expect(run(`assert.doesNotThrow(${thrower}, RangeError)`)).toMatchObject({ isAssertionError: false, name: 'TypeError' });
  });

  test('misuse is a TypeError with node codes', () => {
    expect(run(`assert.equal(1)`)).toMatchObject({ name: 'TypeError', code: 'ERR_MISSING_ARGS' });
    expect(run(`assert.deepStrictEqual([1])`)).toMatchObject({ name: 'TypeError', code: 'ERR_MISSING_ARGS' });
    expect(run(`assert.throws(1)`)).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    expect(run(`assert.throws(${thrower}, 1)`)).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    expect(run(`assert.throws(${thrower}, {})`)).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    expect(run(`assert.match('a', 'a')`)).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  });
});

describe('rejects and doesNotReject', () => {
  test('pass', async () => {
    expect(await runAsync(`await assert.rejects(Promise.reject(new TypeError('no')), TypeError)`)).toEqual({ threw: false });
    expect(await runAsync(`await assert.rejects(async () => { throw new Error('no') }, /no/)`)).toEqual({ threw: false });
    expect(await runAsync(`await assert.rejects(() => Promise.reject(new Error('no')), { message: 'no' })`)).toEqual({ threw: false });
    expect(await runAsync(`await assert.doesNotReject(Promise.resolve(1))`)).toEqual({ threw: false });
    expect(await runAsync(`await assert.doesNotReject(async () => 1)`)).toEqual({ threw: false });
  });

  test('fail', async () => {
    expect(await runAsync(`await assert.rejects(Promise.resolve(1))`)).toMatchObject({
      isAssertionError: true,
      message: 'Missing expected rejection.',
      operator: 'rejects',
    });
    expect(await runAsync(`await assert.rejects(async () => {}, TypeError)`)).toMatchObject({
      message: 'Missing expected rejection (TypeError).',
    });
    expect(await runAsync(`await assert.rejects(Promise.reject(new Error('x')), RangeError)`)).toMatchObject({
      isAssertionError: true,
      operator: 'rejects',
    });
    expect(await runAsync(`await assert.doesNotReject(Promise.reject(new Error('x')))`)).toMatchObject({
      message: 'Got unwanted rejection.\nActual message: "x"',
      operator: 'doesNotReject',
    });
    expect(await runAsync(`await assert.rejects(() => 1)`)).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_RETURN_VALUE' });
  });
});

describe('benchmark-style tests', () => {
  test('MultiPL-E and HumanEval idioms', () => {
    const ctx = freshContext();
    ctx.evalSync(`
      function candidate(n) { const out = []; for (let i = 0; i < n; i++) out.push(i * 1.5); return out }
      function words(s) { return s.split(' ').map((w) => ({ w, n: w.length })) }
    `);
    expect(run('assert.deepEqual(candidate(3), [0, 1.5, 3])', ctx).threw).toBe(false);
    expect(run('assert.deepEqual(candidate(3), [0, 1.5, 3.0000001])', ctx)).toMatchObject({
      threw: true,
      actualText: '[ 0, 1.5, 3 ]',
      expectedText: '[ 0, 1.5, 3.0000001 ]',
    });
    expect(run(`assert.deepEqual(words('ab c'), [{ w: 'ab', n: 2 }, { w: 'c', n: 1 }])`, ctx).threw).toBe(false);
    expect(run(`assert.strictEqual(candidate(0).length, 0)`, ctx).threw).toBe(false);
    expect(run(`assert(candidate(2)[1] === 1.5)`, ctx).threw).toBe(false);
    expect(run(`assert.deepEqual(candidate(1), [])`, ctx)).toMatchObject({
      threw: true,
      message: 'Expected values to be loosely deep-equal:\n\n[ 0 ]\n\nshould loosely deep-equal\n\n[]',
    });
  });
});

describe('hostile user code', () => {
  test('assertions keep their semantics after intrinsics are clobbered', () => {
    const ctx = freshContext();
    ctx.evalSync(`
      globalThis.calls = 0;
      const boom = () => { throw new Error('clobbered intrinsic was called') };
      const hit = () => { globalThis.calls++; return 1 };
      globalThis.values = {
        a: [1, [2, { x: new Map([[{ k: 1 }, new Set([1, 'two'])]]) }]],
        b: [1, [2, { x: new Map([[{ k: 1 }, new Set(['two', 1])]]) }]],
        c: [1, [2, { x: new Map([[{ k: 1 }, new Set([1, 'three'])]]) }]],
        sym: { [Symbol.for('s')]: [1] }, sym2: { [Symbol.for('s')]: [1] },
      };
      const mapIteratorProto = Object.getPrototypeOf(new Map().entries());
      const setIteratorProto = Object.getPrototypeOf(new Set().values());
      Object.keys = boom; Object.is = boom; Object.getPrototypeOf = boom; Object.getOwnPropertySymbols = boom;
      Object.prototype.hasOwnProperty = boom; Object.prototype.propertyIsEnumerable = boom; Object.defineProperty = boom;
      Array.isArray = boom; Array.prototype.push = boom; Array.prototype.forEach = boom; Array.prototype.map = boom;
      Array.prototype.indexOf = boom; Array.prototype.includes = boom; Array.prototype[Symbol.iterator] = boom;
      Map.prototype.forEach = boom; Map.prototype.get = boom; Map.prototype.has = boom; Map.prototype.set = boom;
      Map.prototype.entries = boom; Map.prototype[Symbol.iterator] = boom; Set.prototype.has = boom; Set.prototype.values = boom;
      Set.prototype.forEach = boom; Set.prototype[Symbol.iterator] = boom; mapIteratorProto.next = boom; setIteratorProto.next = boom;
      Number.isNaN = boom; Reflect.ownKeys = boom; Reflect.apply = boom; Function.prototype.call = boom; Function.prototype.apply = boom;
      Date.prototype.getTime = boom; RegExp.prototype.exec = boom; String = boom; Error.captureStackTrace = boom;
      Object.defineProperty = undefined;
      Reflect.defineProperty(Array.prototype, 0, { get: hit, set: hit, configurable: true });
      Reflect.defineProperty(Array.prototype, 1, { get: hit, set: hit, configurable: true });
      Reflect.defineProperty(Object.prototype, 'get', { __proto__: null, get: hit, configurable: true });
      Reflect.defineProperty(Object.prototype, 'set', { __proto__: null, get: hit, configurable: true });
    `);
    expect(run('assert.deepStrictEqual(values.a, values.b)', ctx).threw).toBe(false);
    expect(run('assert.deepEqual(values.a, values.b)', ctx).threw).toBe(false);
    expect(run('assert.deepStrictEqual(values.sym, values.sym2)', ctx).threw).toBe(false);
    expect(run('assert.deepStrictEqual(values.a, values.c)', ctx)).toMatchObject({ threw: true, isAssertionError: true, operator: 'deepStrictEqual' });
    expect(run('assert.notDeepStrictEqual(values.a, values.c)', ctx).threw).toBe(false);
    expect(run('assert.strictEqual(NaN, NaN)', ctx).threw).toBe(false);
    expect(run('assert.equal(NaN, NaN)', ctx).threw).toBe(false);
    expect(run('assert.strictEqual(1, 2)', ctx)).toMatchObject({ isAssertionError: true, actualText: '1', expectedText: '2', code: 'ERR_ASSERTION' });
    expect(run(`assert.throws(() => { throw new Error('x') }, /x/)`, ctx).threw).toBe(false);
    expect(run(`assert.throws(() => { throw new Error('x') }, { message: 'y' })`, ctx)).toMatchObject({ isAssertionError: true });
    expect(run(`assert.match('abc', /b/)`, ctx).threw).toBe(false);
    expect(ctx.evalSync('calls')).toBe(0);
  });
});
