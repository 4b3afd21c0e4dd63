import { readFileSync } from 'node:fs';
import ivm from 'isolated-vm';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRenderer, DEFAULT_RENDER_CAPS, type RenderCaps } from '../../../src/sandbox/guest/render.js';

// The renderer is injected as text into a fresh isolate context, exactly as the sandbox does.
const installSource = `globalThis.R = (${createRenderer.toString()})();`;

let isolate: ivm.Isolate;
let context: ivm.Context;

function freshContext(): ivm.Context {
  const ctx = isolate.createContextSync();
  ctx.evalSync(installSource);
  return ctx;
}

/** Renders the value of `expr` (evaluated inside the isolate, after the renderer exists). */
function show(expr: string, caps: Partial<RenderCaps> = {}, ctx: ivm.Context = context): string {
  const { depth, items, stringLength } = { ...DEFAULT_RENDER_CAPS, ...caps };
  // A JS literal rather than JSON, so Infinity survives.
  const capsLiteral = `{ depth: ${depth}, items: ${items}, stringLength: ${stringLength} }`;
  return ctx.evalSync(`R.render((() => (${expr}))(), ${capsLiteral})`) as string;
}

beforeAll(() => {
  isolate = new ivm.Isolate({ memoryLimit: 64 });
  context = freshContext();
});

afterAll(() => {
  isolate.dispose();
});

describe('injection', () => {
  test('the stringified factory evaluates in a bare isolate context', () => {
    const ctx = isolate.createContextSync();
    expect(ctx.evalSync(`typeof (${createRenderer.toString()})().render`)).toBe('function');
  });

  test('the tsc-compiled factory is self-contained too', () => {
    const source = readFileSync(new URL('../../../src/sandbox/guest/render.ts', import.meta.url), 'utf8');
    const compiled = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
    }).outputText;
    const ctx = isolate.createContextSync();
    // Define the compiled module's functions as script globals, then re-inject from their text.
    ctx.evalSync(compiled.replace(/^export /gm, ''));
    ctx.evalSync(`globalThis.R = (0, eval)('(' + createRenderer.toString() + ')')();`);
    expect(show(`[1, 'a', new Map([[1, 2]])]`, {}, ctx)).toBe(`[ 1, 'a', Map(1) { 1 => 2 } ]`);
  });
});

describe('primitives', () => {
  test.each([
    ['undefined', 'undefined'],
    ['null', 'null'],
    ['true', 'true'],
    ['false', 'false'],
    ['42', '42'],
    ['-1.5', '-1.5'],
    ['-0', '-0'],
    ['0', '0'],
    ['NaN', 'NaN'],
    ['-Infinity', '-Infinity'],
    ['12n', '12n'],
    ['-5n', '-5n'],
    [`Symbol('s')`, 'Symbol(s)'],
    ['Symbol()', 'Symbol()'],
    ['Symbol.iterator', 'Symbol(Symbol.iterator)'],
    [`Symbol('a\\nb')`, 'Symbol(a\\nb)'],
  ])('%s', (expr, expected) => {
    expect(show(expr)).toBe(expected);
  });

  test.each([
    [`'abc'`, `'abc'`],
    [`''`, `''`],
    [`"it's"`, `"it's"`],
    [`'say "hi"'`, `'say "hi"'`],
    [`"both ' and \\""`, '`both \' and "`'],
    ['"all \' \\" `"', `'all \\' " \`'`],
    [`'a\\nb\\tc'`, `'a\\nb\\tc'`],
    [`'back\\\\slash'`, `'back\\\\slash'`],
    [`'\\u0001'`, `'\\u0001'`],
    [`'héllo 😀'`, `'héllo 😀'`],
  ])('string %s', (expr, expected) => {
    expect(show(expr)).toBe(expected);
  });

  test('long strings are cut with a count of the rest', () => {
    expect(show(`'x'.repeat(100)`, { stringLength: 5 })).toBe(`'xxxxx'... 95 more characters`);
    expect(show(`'abcdef'`, { stringLength: 5 })).toBe(`'abcde'... 1 more character`);
    expect(show(`'abcde'`, { stringLength: 5 })).toBe(`'abcde'`);
    expect(show(`['x'.repeat(100)]`, { stringLength: 3 })).toBe(`[ 'xxx'... 97 more characters ]`);
  });

  test('a cut does not split a surrogate pair', () => {
    expect(show(`'a😀b'`, { stringLength: 2 })).toBe(`'a'... 3 more characters`);
  });
});

describe('functions', () => {
  test.each([
    ['function f() {}', '[Function: f]'],
    ['() => {}', '[Function (anonymous)]'],
    ['(function () {})', '[Function (anonymous)]'],
    ['class A {}', '[class A]'],
    ['(class {})', '[class (anonymous)]'],
    ['(() => { class A {}; return class B extends A {} })()', '[class B extends A]'],
    ['class C extends Array {}', '[class C extends Array]'],
    ['async function af() {}', '[AsyncFunction: af]'],
    ['async () => {}', '[AsyncFunction (anonymous)]'],
    ['function* g() {}', '[GeneratorFunction: g]'],
    ['async function* ag() {}', '[AsyncGeneratorFunction: ag]'],
    ['Map', '[Function: Map]'],
    ['Math.max', '[Function: max]'],
    ['(function f() {}).bind(null)', '[Function: bound f]'],
    ['({ method() {} }).method', '[Function: method]'],
  ])('%s', (expr, expected) => {
    expect(show(expr)).toBe(expected);
  });

  test('a name getter is not run', () => {
    expect(show(`Object.defineProperty(function f() {}, 'name', { get() { throw new Error('ran') } })`)).toBe(
      '[Function (anonymous)]',
    );
  });
});

describe('arrays and array-likes', () => {
  test.each([
    ['[]', '[]'],
    ['[1, 2, 3]', '[ 1, 2, 3 ]'],
    [`[1, 'a', null, undefined, [2]]`, `[ 1, 'a', null, undefined, [ 2 ] ]`],
    ['[1, , 3]', '[ 1, <1 empty item>, 3 ]'],
    ['[, , , 4]', '[ <3 empty items>, 4 ]'],
    ['new Array(5)', '[ <5 empty items> ]'],
    ['(() => { const a = []; a[1e9] = 1; return a })()', '[ <1000000000 empty items>, 1 ]'],
    ['Array.from({ length: 12 }, (_, i) => i)', '[ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 2 more items ]'],
    ['Array.from({ length: 11 }, (_, i) => i)', '[ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 1 more item ]'],
    ['Object.defineProperty([1, 2], 0, { get() { throw 1 } })', '[ [Getter], 2 ]'],
    ['(() => { class Stack extends Array {}; return Stack.from([1, 2]) })()', 'Stack(2) [ 1, 2 ]'],
    ['(function () { return arguments })(1, "a")', `[Arguments] [ 1, 'a' ]`],
    ['(function () { "use strict"; return arguments })()', '[Arguments] []'],
  ])('%s', (expr, expected) => {
    expect(show(expr)).toBe(expected);
  });

  test('items cap counts hole runs as one entry', () => {
    expect(show('[1, , , 4, 5]', { items: 2 })).toBe('[ 1, <2 empty items>, ... 2 more items ]');
    expect(show('[1, 2]', { items: 0 })).toBe('[ ... 2 more items ]');
  });

  test.each([
    ['new Uint8Array([1, 2, 3])', 'Uint8Array(3) [ 1, 2, 3 ]'],
    ['new Float64Array([-0, NaN, 1.5])', 'Float64Array(3) [ -0, NaN, 1.5 ]'],
    ['new BigInt64Array([1n, -2n])', 'BigInt64Array(2) [ 1n, -2n ]'],
    ['new Int16Array(0)', 'Int16Array(0) []'],
    ['new Uint8Array(12)', 'Uint8Array(12) [ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ... 2 more items ]'],
    ['(() => { class Bytes extends Uint8Array {}; return new Bytes(2) })()', 'Bytes(2) [Uint8Array] [ 0, 0 ]'],
    ['new Uint8Array([1, 2, 255]).buffer', 'ArrayBuffer { [Uint8Contents]: <01 02 ff>, byteLength: 3 }'],
    ['new ArrayBuffer(0)', 'ArrayBuffer { [Uint8Contents]: <>, byteLength: 0 }'],
    ['new ArrayBuffer(12)', 'ArrayBuffer { [Uint8Contents]: <00 00 00 00 00 00 00 00 00 00 ... 2 more bytes>, byteLength: 12 }'],
    [
      'new DataView(new ArrayBuffer(2), 1)',
      'DataView { byteLength: 1, byteOffset: 1, buffer: ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 } }',
    ],
  ])('%s', (expr, expected) => {
    expect(show(expr)).toBe(expected);
  });
});

describe('objects', () => {
  test.each([
    ['({})', '{}'],
    ['({ a: 1, b: "x" })', `{ a: 1, b: 'x' }`],
    [`({ 'b-c': 2, 1: 3, $d: 4, _e: 5, 'f g': 6, '': 7 })`, `{ '1': 3, 'b-c': 2, $d: 4, _e: 5, 'f g': 6, '': 7 }`],
    [`({ [Symbol('s')]: 3, a: 1 })`, '{ a: 1, [Symbol(s)]: 3 }'],
    ['({ get a() { return 1 }, set b(v) {}, get c() { return 1 }, set c(v) {} })', '{ a: [Getter], b: [Setter], c: [Getter/Setter] }'],
    ['Object.defineProperty({ a: 1 }, "hidden", { value: 2, enumerable: false })', '{ a: 1 }'],
    ['Object.assign(Object.create(null), { a: 1 })', '[Object: null prototype] { a: 1 }'],
    ['Object.create(null)', '[Object: null prototype] {}'],
    ['Object.create({ inherited: 1 })', '{}'],
    ['(() => { class Point { constructor() { this.x = 1; this.y = 2 } }; return new Point() })()', 'Point { x: 1, y: 2 }'],
    ['(() => { class A {}; class B extends A {}; return new B() })()', 'B {}'],
    ['(function* () {})()', 'Object [Generator] {}'],
    ['Math', 'Object [Math] {}'],
    [`({ [Symbol.toStringTag]: 'Custom', a: 1 })`, `Object [Custom] { a: 1, [Symbol(Symbol.toStringTag)]: 'Custom' }`],
    ['({ a: { b: { c: { d: 1 } } } })', '{ a: { b: { c: [Object] } } }'],
    ['({ a: { b: { c: {}, d: [], e: [1], f: Object.create(null), g: [2, [3]] } } })', '{ a: { b: { c: {}, d: [], e: [Array], f: [Object: null prototype] {}, g: [Array] } } }'],
    ['Object.fromEntries(Array.from({ length: 12 }, (_, i) => ["k" + i, i]))', '{ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, ... 2 more properties }'],
  ])('%s', (expr, expected) => {
    expect(show(expr)).toBe(expected);
  });

  test('depth cap names the class of what it hides', () => {
    expect(show('(() => { class Node { constructor() { this.next = null } }; return [[new Node()]] })()', { depth: 1 })).toBe(
      '[ [ [Node] ] ]',
    );
    expect(show('[[new Map([[1, 2]]), new Set([1]), new Map()]]', { depth: 1 })).toBe('[ [ [Map], [Set], Map(0) {} ] ]');
    expect(show('[[1]]', { depth: 0 })).toBe('[ [Array] ]');
    expect(show('({ a: { b: 1 } })', { depth: 0 })).toBe('{ a: [Object] }');
  });

  test('circular references are marked, like util.inspect', () => {
    expect(show('(() => { const o = { a: 1 }; o.self = o; o.list = [o]; return o })()', { depth: 5 })).toBe(
      '<ref *1> { a: 1, self: [Circular *1], list: [ [Circular *1] ] }',
    );
    expect(show('(() => { const a = [1]; a.push(a); return a })()')).toBe('<ref *1> [ 1, [Circular *1] ]');
    expect(show('(() => { const m = new Map(); m.set("me", m); return m })()')).toBe(`<ref *1> Map(1) { 'me' => [Circular *1] }`);
    expect(show('(() => { const inner = {}; const o = { inner }; inner.parent = o; return o })()')).toBe(
      '<ref *1> { inner: { parent: [Circular *1] } }',
    );
  });

  test('a repeated, non-circular reference is shown in full each time', () => {
    expect(show('(() => { const x = { v: 1 }; return [x, x] })()')).toBe('[ { v: 1 }, { v: 1 } ]');
  });
});

describe('builtins', () => {
  test.each([
    ['new Map()', 'Map(0) {}'],
    [`new Map([['a', 1], ['b', 2]])`, `Map(2) { 'a' => 1, 'b' => 2 }`],
    ['new Map([[1, { a: [1, 2] }]])', 'Map(1) { 1 => { a: [ 1, 2 ] } }'],
    ['new Map([[{ k: 1 }, [1]]])', 'Map(1) { { k: 1 } => [ 1 ] }'],
    ['new Map(Array.from({ length: 12 }, (_, i) => [i, i]))', 'Map(12) { 0 => 0, 1 => 1, 2 => 2, 3 => 3, 4 => 4, 5 => 5, 6 => 6, 7 => 7, 8 => 8, 9 => 9, ... 2 more items }'],
    ['(() => { class Registry extends Map {}; return new Registry([[1, 2]]) })()', 'Registry(1) [Map] { 1 => 2 }'],
    ['new Set()', 'Set(0) {}'],
    ['new Set([1])', 'Set(1) { 1 }'],
    [`new Set([1, 'a', [2]])`, `Set(3) { 1, 'a', [ 2 ] }`],
    ['new Set(Array.from({ length: 11 }, (_, i) => i))', 'Set(11) { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 1 more item }'],
    ['new WeakMap()', 'WeakMap { <items unknown> }'],
    ['new WeakSet()', 'WeakSet { <items unknown> }'],
    ['new Date(0)', '1970-01-01T00:00:00.000Z'],
    ['new Date(NaN)', 'Invalid Date'],
    ['[new Date(86400000)]', '[ 1970-01-02T00:00:00.000Z ]'],
    ['/ab+c/gi', '/ab+c/gi'],
    ['new RegExp("a/b", "y")', '/a\\/b/y'],
    ['/x/dgimsuy', '/x/dgimsuy'],
    ['Promise.resolve(1)', 'Promise { <unknown> }'],
    ['new Number(3)', '[Number: 3]'],
    ['new Number(-0)', '[Number: -0]'],
    [`new String('ab')`, `[String: 'ab']`],
    ['new Boolean(false)', '[Boolean: false]'],
    [`Object(Symbol('s'))`, '[Symbol: Symbol(s)]'],
    ['Object(1n)', '[BigInt: 1n]'],
    ['Object.create(Map.prototype)', 'Map {}'],
    ['Object.create(Date.prototype)', 'Date {}'],
  ])('%s', (expr, expected) => {
    expect(show(expr)).toBe(expected);
  });

  test.each([
    [`new TypeError('bad')`, 'TypeError: bad'],
    [`new Error('')`, 'Error'],
    [`[new RangeError('far')]`, '[ [RangeError: far] ]'],
    [`new Error('two\\nlines')`, 'Error: two\\nlines'],
    [`Object.assign(new Error('m'), { code: 'E1' })`, `Error: m { code: 'E1' }`],
    [`(() => { class ValidationError extends Error {}; return new ValidationError('v') })()`, 'ValidationError [Error]: v'],
    [
      `(() => { class ValidationError extends Error { constructor(m) { super(m); this.name = 'ValidationError' } }; return new ValidationError('v') })()`,
      'ValidationError: v',
    ],
    [`Object.defineProperty(new Error('m'), 'message', { get() { throw 1 } })`, 'Error'],
  ])('%s', (expr, expected) => {
    expect(show(expr)).toBe(expected);
  });

  test('globalThis renders without running anything', () => {
    expect(show('globalThis')).toMatch(/^\{ R: \{ render: \[Function: render\], isProxy: \[Function: isProxy\] \}/);
  });
});

describe('proxies', () => {
  const throwingHandler = `{
    get() { throw new Error('get trap') }, has() { throw new Error('has trap') },
    ownKeys() { throw new Error('ownKeys trap') }, getOwnPropertyDescriptor() { throw new Error('gopd trap') },
    getPrototypeOf() { throw new Error('getPrototypeOf trap') }, apply() { throw new Error('apply trap') },
  }`;

  test('a proxy shows its target and no trap runs', () => {
    expect(show(`new Proxy({ a: 1 }, ${throwingHandler})`)).toBe('Proxy({ a: 1 })');
    expect(show(`new Proxy([1, 2], ${throwingHandler})`)).toBe('Proxy([ 1, 2 ])');
    expect(show(`new Proxy(function f() {}, ${throwingHandler})`)).toBe('Proxy([Function: f])');
    expect(show(`{ p: new Proxy(new Proxy({}, ${throwingHandler}), ${throwingHandler}) }`)).toBe('{ p: Proxy(Proxy({})) }');
  });

  test('a proxy on the prototype chain is not touched', () => {
    expect(show(`Object.assign(Object.create(new Proxy({}, ${throwingHandler})), { a: 1 })`)).toBe('{ a: 1 }');
  });

  test('revoked proxies and cycles through proxies', () => {
    expect(show(`(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()`)).toBe('<Revoked Proxy>');
    expect(show(`Proxy.revocable({ a: 1 }, {}).proxy`)).toBe('Proxy({ a: 1 })');
    expect(show(`(() => { const t = {}; const p = new Proxy(t, {}); t.self = p; return p })()`)).toBe(
      '<ref *1> Proxy({ self: [Circular *1] })',
    );
  });

  test('isProxy', () => {
    expect(context.evalSync(`R.isProxy(new Proxy({}, {}))`)).toBe(true);
    expect(context.evalSync(`R.isProxy(Proxy.revocable({}, {}).proxy)`)).toBe(true);
    expect(context.evalSync(`R.isProxy({})`)).toBe(false);
    expect(context.evalSync(`R.isProxy(1)`)).toBe(false);
    expect(context.evalSync(`R.isProxy(Proxy)`)).toBe(false);
  });

  test('the replacement Proxy looks and behaves like the original', () => {
    const probe = `JSON.stringify({
      type: typeof Proxy, name: Proxy.name, length: Proxy.length, hasPrototype: 'prototype' in Proxy,
      revocableName: Proxy.revocable.name, revocableLength: Proxy.revocable.length,
      keys: Object.getOwnPropertyNames(Proxy).sort(),
      revokeName: Proxy.revocable({}, {}).revoke.name, revokeLength: Proxy.revocable({}, {}).revoke.length,
      withoutNew: (() => { try { Proxy({}, {}); return 'no error' } catch (e) { return e.constructor.name + ': ' + e.message } })(),
      badArgs: (() => { try { new Proxy(1, {}); return 'no error' } catch (e) { return e.constructor.name + ': ' + e.message } })(),
      works: new Proxy({}, { get: (t, k) => k + '!' }).hello,
      revoked: (() => { const r = Proxy.revocable({}, {}); r.revoke(); try { r.proxy.x; return 'no error' } catch (e) { return e.constructor.name } })(),
      global: Object.getOwnPropertyDescriptor(globalThis, 'Proxy').enumerable,
    })`;
    const pristine = isolate.createContextSync();
    expect(JSON.parse(context.evalSync(probe) as string)).toEqual(JSON.parse(pristine.evalSync(probe) as string));
  });
});

describe('never runs user code', () => {
  test('getters, conversion hooks, iterators and traps stay untouched', () => {
    const ctx = freshContext();
    ctx.evalSync(`
      globalThis.calls = 0;
      const hit = () => { globalThis.calls++; return 1 };
      // Hooks a naive renderer would call.
      const hooks = { toString: hit, valueOf: hit, toJSON: hit, [Symbol.toPrimitive]: hit, inspect: hit,
        [Symbol.for('nodejs.util.inspect.custom')]: hit, [Symbol.iterator]: hit, get g() { return hit() } };
      class Sneaky extends Map { get size() { return hit() } forEach() { hit() } entries() { hit() } [Symbol.iterator]() { hit() } }
      const proxyHandler = new Proxy({}, { get() { hit() } }); // every trap lookup runs user code
      globalThis.subject = {
        hooks, sneaky: new Sneaky([[1, 2]]), proxied: new Proxy({ a: 1 }, proxyHandler),
        proxyFn: new Proxy(function f() {}, proxyHandler), list: [hooks], set: new Set([hooks]),
        error: Object.defineProperty(new Error('e'), 'name', { get: hit }),
        date: Object.defineProperties(new Date(0), Object.getOwnPropertyDescriptors(hooks)), args: (function () { return arguments })(hooks),
      };
      Object.defineProperty(Array.prototype, 0, { get: hit, configurable: true });
      Object.defineProperty(Array.prototype, Symbol.iterator, { get: hit, configurable: true });
      // Reading a descriptor's missing 'get'/'set' would hit these (defined last: they break defineProperty).
      Object.defineProperty(Object.prototype, 'set', { __proto__: null, get: hit, configurable: true });
      Object.defineProperty(Object.prototype, 'get', { __proto__: null, get: hit, configurable: true });
      globalThis.calls = 0;
    `);
    const text = show('subject', { depth: 3 }, ctx);
    expect(ctx.evalSync('calls')).toBe(0);
    expect(text).toContain('sneaky: Sneaky(1) [Map] { 1 => 2 }');
    expect(text).toContain("proxied: Proxy({ a: 1 })");
    expect(text).toContain('error: [Error: e]');
    expect(text).toContain('g: [Getter]');
  });

  test('rendering keeps working after user code clobbers intrinsics', () => {
    const value = `[
      new Map([['k', { a: [1, 2, 'str'] }]]), new Set([1n, Symbol('s')]), /re/g, new Date(0),
      { 'quoted-key': "it's", n: -0, nested: { deep: { deeper: {} } } }, new Uint8Array([1, 2]), [1, , 3],
      new TypeError('bad'), 'x'.repeat(200), class K {}, new Proxy({ p: 1 }, {}), Object.create(null),
    ]`;
    const expected = show(value, { items: 20 });
    const ctx = freshContext();
    // Build the value first: constructing it needs the intrinsics about to be clobbered.
    ctx.evalSync(`globalThis.subject = ${value}`);
    ctx.evalSync(`
      const boom = () => { throw new Error('clobbered intrinsic was called') };
      const mapIteratorProto = Object.getPrototypeOf(new Map().entries());
      const setIteratorProto = Object.getPrototypeOf(new Set().values());
      Array.prototype.push = boom; Array.prototype.join = boom; Array.prototype.slice = boom;
      Array.prototype.map = boom; Array.prototype.forEach = boom; Array.prototype[Symbol.iterator] = boom;
      Array.isArray = boom; Object.keys = boom; Object.getOwnPropertyDescriptor = boom; Object.getPrototypeOf = boom;
      Object.hasOwn = boom; Object.prototype.hasOwnProperty = boom; Object.prototype.toString = boom;
      Reflect.ownKeys = boom; Reflect.apply = boom; Reflect.construct = boom; Function.prototype.call = boom;
      Function.prototype.apply = boom; Function.prototype.bind = boom; Function.prototype.toString = boom;
      JSON.stringify = boom; String.prototype.slice = boom; String.prototype.indexOf = boom;
      String.prototype.replace = boom; String.prototype.charCodeAt = boom; String = boom;
      Map.prototype.forEach = boom; Map.prototype.entries = boom; Map.prototype[Symbol.iterator] = boom;
      Object.defineProperty(Map.prototype, 'size', { get: boom }); Set.prototype.forEach = boom;
      Set.prototype.values = boom; mapIteratorProto.next = boom; setIteratorProto.next = boom; WeakMap.prototype.has = boom; WeakMap.prototype.get = boom;
      Date.prototype.toISOString = boom; Date.prototype.getTime = boom; Number.prototype.toString = boom;
      Object.defineProperty(RegExp.prototype, 'source', { get: boom }); Object.defineProperty(RegExp.prototype, 'global', { get: boom });
      Object.defineProperty(Symbol.prototype, 'description', { get: boom });
    `);
    expect(show('subject', { items: 20 }, ctx)).toBe(expected);
    expect(expected).toBe(
      `[ Map(1) { 'k' => { a: [Array] } }, Set(2) { 1n, Symbol(s) }, /re/g, 1970-01-01T00:00:00.000Z, ` +
        `{ 'quoted-key': "it's", n: -0, nested: { deep: [Object] } }, Uint8Array(2) [ 1, 2 ], [ 1, <1 empty item>, 3 ], ` +
        `[TypeError: bad], 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... 120 more characters, ` +
        `[class K], Proxy({ p: 1 }), [Object: null prototype] {} ]`,
    );
  });
});

describe('robustness', () => {
  test('bad caps fall back to defaults', () => {
    expect(context.evalSync(`R.render([1], null)`)).toBe('[ 1 ]');
    expect(context.evalSync(`R.render('abc', { depth: -1, items: NaN, stringLength: 'x' })`)).toBe(`'abc'`);
  });

  test('unlimited caps', () => {
    expect(show('({ a: { b: { c: { d: [1, 2, 3] } } } })', { depth: Infinity, items: Infinity, stringLength: Infinity })).toBe(
      '{ a: { b: { c: { d: [ 1, 2, 3 ] } } } }',
    );
  });

  test('output stays on one line', () => {
    const text = show(`({ 'a\\nb': 'c\\nd', e: new Error('x\\ny'), s: Symbol('p\\nq'), m: new Map([['\\n', '\\r']]) })`);
    expect(text).not.toContain('\n');
    expect(text).not.toContain('\r');
  });

  test('renders deep recursion near the stack limit without throwing', () => {
    const text = context.evalSync(`
      (() => {
        let out = 'none';
        const recurse = (n) => { try { return recurse(n + 1) } catch { out = R.render({ a: [1, { b: 2 }] }, { depth: 2, items: 10, stringLength: 80 }); return n } };
        recurse(0);
        return out;
      })()
    `);
    expect(typeof text).toBe('string');
  });
});
