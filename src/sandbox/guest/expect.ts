/**
 * The in-isolate `expect` of vitest and Jest: what `require('vitest').expect` (and
 * `@jest/globals`, and the `expect` global of a test file) returns.
 *
 * Self-contained like everything in guest/: `createExpect` is stringified into the isolate and
 * runs before user code, so the intrinsics it uses are captured here. Comparing and rendering
 * run no user code: deep equality is the assert module's, values are shown by the renderer,
 * properties are read as data descriptors (an accessor counts as "no value"), `instanceof` walks
 * prototypes instead of calling `Symbol.hasInstance`. A failed matcher throws an AssertionError
 * of the assert module, so the harness reads the verdict (message, expected, actual) from its
 * private record, as for `assert.*`. The test's own code (the function given to toThrow, the
 * promise given to resolves/rejects) is user code and runs as in vitest.
 */

import type { AssertInternals, AssertionRecord } from './assert.js';

export interface ExpectDeps {
  render: (value: unknown) => string;
  isProxy: (value: unknown) => boolean;
  issued: WeakMap<object, AssertionRecord>;
  internals: AssertInternals;
}

type Matcher = (...args: unknown[]) => unknown;
export type Expect = (actual: unknown) => Record<string, unknown>;

/** What one matcher found: pass, and the texts a failure shows. */
interface Verdict {
  pass: boolean;
  /** "to be", "to contain" ...: the message reads `expected <actual> [not] <verb> <expected>`. */
  verb: string;
  expected: string;
  /** Defaults to the rendered actual value. */
  actual?: string;
}

export function createExpect(deps: ExpectDeps): Expect {
  const FunctionProto = Function.prototype;
  const uncurry = FunctionProto.bind.bind(FunctionProto.call) as unknown as (fn: Function) => (self: unknown, ...args: unknown[]) => unknown;
  const objectIs = Object.is;
  const freeze = Object.freeze;
  const getOwn = Object.getOwnPropertyDescriptor;
  const getProto = Object.getPrototypeOf as (o: object) => object | null;
  const defineProperty = Object.defineProperty;
  const objectCreate = Object.create as (proto: null) => Record<string, unknown>;
  const objectKeys = Object.keys;
  const hasOwn = Object.hasOwn;
  const isArray = Array.isArray;
  const apply = Reflect.apply as (fn: Function, self: unknown, args: ArrayLike<unknown>) => unknown;
  const construct = Reflect.construct as (ctor: Function, args: ArrayLike<unknown>) => object;
  const PromiseCtor = Promise;
  const PromiseProto = Promise.prototype;
  const then = Promise.prototype.then;
  const RegExpCtor = RegExp;
  const RegExpProto = RegExp.prototype;
  const ErrorProto = Error.prototype;
  const regExpExec = uncurry(RegExpProto.exec) as (r: unknown, s: string) => unknown;
  const regExpSource = uncurry((getOwn(RegExpProto, 'source') as PropertyDescriptor).get as Function) as (r: unknown) => string;
  const regExpFlags = uncurry((getOwn(RegExpProto, 'flags') as PropertyDescriptor).get as Function) as (r: unknown) => string;
  const strIndexOf = uncurry(String.prototype.indexOf) as (s: string, x: string) => number;
  const strReplace = uncurry(String.prototype.replace) as (s: string, a: RegExp, b: string) => string;
  const strSplit = uncurry(String.prototype.split) as (s: string, sep: string) => string[];
  const setHas = uncurry(Set.prototype.has) as (s: unknown, v: unknown) => boolean;
  const setSize = uncurry((getOwn(Set.prototype, 'size') as PropertyDescriptor).get as Function) as (s: unknown) => number;
  const weakMapGet = uncurry(WeakMap.prototype.get) as (m: unknown, k: unknown) => unknown;
  const mathAbs = Math.abs;
  const mathPow = Math.pow;
  const render = deps.render;
  const isProxy = deps.isProxy;
  const issued = deps.issued;
  const isDeepStrictEqual = deps.internals.isDeepStrictEqual;
  const AssertionError = deps.internals.AssertionError;
  const NO_SPECIES = freeze(Object.setPrototypeOf({ [Symbol.species]: undefined }, null));

  const show = (value: unknown): string => {
    try {
      return render(value);
    } catch {
      return '[unrenderable]';
    }
  };
  const isObject = (value: unknown): value is object => (typeof value === 'object' && value !== null) || typeof value === 'function';
  const descriptor = (value: unknown): PropertyDescriptor => {
    const d = objectCreate(null) as PropertyDescriptor;
    d.value = value;
    d.writable = true;
    d.configurable = true;
    return d;
  };

  /** A property along the prototype chain without running getters (`accessor`) or proxy traps. */
  function lookUp(target: unknown, key: string): { found: boolean; value: unknown; accessor?: boolean } {
    if (typeof target === 'string') return key === 'length' ? { found: true, value: target.length } : { found: false, value: undefined };
    let o: unknown = target;
    for (let hops = 0; isObject(o) && hops < 100; hops++) {
      if (isProxy(o)) return { found: false, value: undefined };
      const d = getOwn(o, key);
      if (d) return hasOwn(d, 'value') ? { found: true, value: d.value } : { found: true, value: undefined, accessor: true };
      o = getProto(o);
    }
    return { found: false, value: undefined };
  }

  function inherits(value: unknown, proto: unknown): boolean {
    if (!isObject(value) || !isObject(proto)) return false;
    let o: object | null = value;
    for (let hops = 0; o !== null && hops < 10000; hops++) {
      if (isProxy(o)) return false;
      o = getProto(o);
      if (o === proto) return true;
    }
    return false;
  }

  function matchesRegExp(text: string, pattern: unknown): boolean {
    // A fresh copy without g/y: a shared lastIndex must not make the second check differ.
    const flags = strReplace(regExpFlags(pattern), /[gy]/g, '');
    return regExpExec(construct(RegExpCtor, [regExpSource(pattern), flags]), text) !== null;
  }

  function contains(container: unknown, item: unknown): boolean {
    if (typeof container === 'string') return typeof item === 'string' && strIndexOf(container, item) !== -1;
    if (isArray(container)) {
      for (let i = 0; i < container.length; i++) if (objectIs(lookUp(container, '' + i).value, item)) return true;
      return false;
    }
    try {
      return setHas(container, item);
    } catch {
      return false;
    }
  }

  function sizeOf(value: unknown): number | undefined {
    try {
      return setSize(value);
    } catch {
      const length = lookUp(value, 'length').value;
      return typeof length === 'number' ? length : undefined;
    }
  }

  /** `toMatchObject`: every own enumerable property of `expected` is in `actual`, recursively. */
  function matchesObject(actual: unknown, expected: unknown, depth: number): boolean {
    if (!isObject(expected) || !isObject(actual) || depth > 100 || isProxy(expected)) return isDeepStrictEqual(actual, expected);
    if (isArray(expected)) {
      if (!isArray(actual) || actual.length !== expected.length) return false;
      for (let i = 0; i < expected.length; i++) {
        if (!matchesObject(lookUp(actual, '' + i).value, lookUp(expected, '' + i).value, depth + 1)) return false;
      }
      return true;
    }
    const keys = objectKeys(expected);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const found = lookUp(actual, key);
      if (!found.found || !matchesObject(found.value, lookUp(expected, key).value, depth + 1)) return false;
    }
    return true;
  }

  function propertyPath(path: unknown): string[] {
    if (isArray(path)) {
      const keys: string[] = [];
      for (let i = 0; i < path.length; i++) keys[i] = '' + (lookUp(path, '' + i).value as string);
      return keys;
    }
    return typeof path === 'string' ? strSplit(strReplace(path, /\[(\w+)\]/g, '.$1'), '.') : [];
  }

  /** What a function threw (or a promise rejected with): its message, without getters. */
  function thrownMatches(thrown: unknown, expected: unknown): boolean {
    const message = lookUp(thrown, 'message').value;
    const text = typeof message === 'string' ? message : typeof thrown === 'string' ? thrown : '';
    if (expected === undefined) return true;
    if (typeof expected === 'string') return strIndexOf(text, expected) !== -1;
    if (inherits(expected, RegExpProto)) return matchesRegExp(text, expected);
    if (typeof expected === 'function') return inherits(thrown, lookUp(expected, 'prototype').value);
    if (inherits(expected, ErrorProto)) return text === lookUp(expected, 'message').value;
    return matchesObject(thrown, expected, 0);
  }

  function numeric(value: unknown): boolean {
    return typeof value === 'number' || typeof value === 'bigint';
  }

  const NOTHING = objectCreate(null);

  /** The matchers: each returns what it found about `actual` (a thrown value for toThrow on rejects). */
  const checks: Record<string, (actual: unknown, args: unknown[], settled: boolean) => Verdict> = {
    toBe: (a, [e]) => ({ pass: objectIs(a, e), verb: 'to be', expected: show(e) }),
    toEqual: (a, [e]) => ({ pass: isDeepStrictEqual(a, e), verb: 'to deeply equal', expected: show(e) }),
    toStrictEqual: (a, [e]) => ({ pass: isDeepStrictEqual(a, e), verb: 'to strictly equal', expected: show(e) }),
    toBeCloseTo: (a, [e, digits]) => {
      const precision = typeof digits === 'number' ? digits : 2;
      const close = typeof a === 'number' && typeof e === 'number' && (a === e || mathAbs(a - e) < mathPow(10, -precision) / 2);
      return { pass: close, verb: 'to be close to', expected: show(e) + ' (' + precision + ' digits)' };
    },
    toBeTruthy: (a) => ({ pass: !!a, verb: 'to be', expected: 'truthy' }),
    toBeFalsy: (a) => ({ pass: !a, verb: 'to be', expected: 'falsy' }),
    toBeNull: (a) => ({ pass: a === null, verb: 'to be', expected: 'null' }),
    toBeUndefined: (a) => ({ pass: a === undefined, verb: 'to be', expected: 'undefined' }),
    toBeDefined: (a) => ({ pass: a !== undefined, verb: 'to be', expected: 'defined' }),
    toBeNaN: (a) => ({ pass: typeof a === 'number' && a !== a, verb: 'to be', expected: 'NaN' }),
    toContain: (a, [e]) => ({ pass: contains(a, e), verb: 'to contain', expected: show(e) }),
    toHaveLength: (a, [e]) => {
      const size = sizeOf(a);
      return { pass: size === e, verb: 'to have length', expected: show(e), actual: size === undefined ? show(a) : 'length ' + size };
    },
    toHaveProperty: (a, [path, value], settled) => {
      let found: { found: boolean; value: unknown; accessor?: boolean } = { found: true, value: a };
      const keys = propertyPath(path);
      let depth = 0;
      for (; depth < keys.length && found.found && !found.accessor; depth++) found = lookUp(found.value, keys[depth] as string);
      const checkValue = settled === true;
      // A getter on the way (not at the end) hides the rest of the path.
      const pass = found.found && depth === keys.length && (!checkValue || (!found.accessor && isDeepStrictEqual(found.value, value)));
      const expected = 'property ' + show(path) + (checkValue ? ' = ' + show(value) : '');
      const actual = found.accessor ? 'a getter (ldb does not run it)' : found.found ? show(found.value) : show(a);
      return { pass, verb: 'to have', expected, actual };
    },
    toMatch: (a, [e]) => {
      const pass = typeof a === 'string' && (typeof e === 'string' ? strIndexOf(a, e) !== -1 : matchesRegExp(a, e));
      return { pass, verb: 'to match', expected: show(e) };
    },
    toMatchObject: (a, [e]) => ({ pass: matchesObject(a, e, 0), verb: 'to match object', expected: show(e) }),
    toBeGreaterThan: (a, [e]) => ({ pass: numeric(a) && numeric(e) && (a as number) > (e as number), verb: 'to be', expected: '> ' + show(e) }),
    toBeGreaterThanOrEqual: (a, [e]) => ({ pass: numeric(a) && numeric(e) && (a as number) >= (e as number), verb: 'to be', expected: '>= ' + show(e) }),
    toBeLessThan: (a, [e]) => ({ pass: numeric(a) && numeric(e) && (a as number) < (e as number), verb: 'to be', expected: '< ' + show(e) }),
    toBeLessThanOrEqual: (a, [e]) => ({ pass: numeric(a) && numeric(e) && (a as number) <= (e as number), verb: 'to be', expected: '<= ' + show(e) }),
    toBeInstanceOf: (a, [e]) => {
      const name = lookUp(e, 'name').value;
      const shown = typeof name === 'string' && name !== '' ? name : show(e);
      return { pass: typeof e === 'function' && inherits(a, lookUp(e, 'prototype').value), verb: 'to be an instance of', expected: shown };
    },
  };

  /** Builds and throws (or returns, for promises) the failure, with a stack at the user's call. */
  function failure(verdict: Verdict, actual: unknown, negated: boolean, at: Function | object): object {
    const actualText = verdict.actual ?? show(actual);
    const expectedText = (negated ? 'not ' : '') + verdict.expected;
    const message = 'expected ' + actualText + (negated ? ' not ' : ' ') + verdict.verb + ' ' + verdict.expected;
    const error = typeof at === 'function' ? new AssertionError({ message, operator: 'expect', stackStartFn: at }) : at;
    if (typeof at !== 'function') defineProperty(error, 'message', descriptor(message));
    const record = weakMapGet(issued, error) as AssertionRecord | undefined;
    if (record !== undefined) {
      record.message = message;
      record.expectedText = expectedText;
      record.actualText = actualText;
    }
    return error;
  }

  /** `toThrow` of a function: calls it (the user's code) and checks what it threw. */
  function throwVerdict(actual: unknown, args: unknown[], settled: boolean): Verdict {
    const expected = args[0];
    const wanted = expected === undefined ? 'an error' : show(expected);
    let thrown: unknown = NOTHING;
    if (settled) thrown = actual;
    else if (typeof actual === 'function') {
      try {
        apply(actual, undefined, []);
      } catch (error) {
        thrown = error;
      }
    } else {
      return { pass: false, verb: 'to throw', expected: wanted, actual: show(actual) + ' (not a function)' };
    }
    if (thrown === NOTHING) return { pass: false, verb: 'to throw', expected: wanted, actual: 'nothing thrown' };
    const message = lookUp(thrown, 'message').value;
    return { pass: thrownMatches(thrown, expected), verb: 'to throw', expected: wanted, actual: typeof message === 'string' ? show(message) : show(thrown) };
  }

  function verdictOf(name: string, actual: unknown, args: unknown[], settled: boolean): Verdict {
    if (name === 'toThrow' || name === 'toThrowError') return throwVerdict(actual, args, settled);
    const check = checks[name] as (actual: unknown, args: unknown[], valueGiven: boolean) => Verdict;
    // toHaveProperty checks the value only when one was given (even `undefined`).
    return check(actual, args, name === 'toHaveProperty' ? args.length > 1 : settled);
  }

  /** Calls the intrinsic `then` with no species lookup; a thenable that is not a promise runs its own. */
  function settle(value: unknown, onFulfilled: (value: unknown) => void, onRejected: (error: unknown) => void): void {
    if (isObject(value) && getProto(value) === PromiseProto) {
      try {
        defineProperty(value, 'constructor', descriptor(NO_SPECIES));
        apply(then, value, [onFulfilled, onRejected]);
        return;
      } catch {
        // not a real promise (or frozen): fall through to the generic path
      }
    }
    apply(then, PromiseCtor.resolve(value), [onFulfilled, onRejected]);
  }

  const matcherNames = ['toThrow', 'toThrowError'];
  const checkNames = objectKeys(checks);
  for (let i = 0; i < checkNames.length; i++) matcherNames[matcherNames.length] = checkNames[i] as string;

  /** `expect(x)`, `expect(x).not`, `.resolves`, `.rejects` (and their `.not`). */
  function assertions(actual: unknown, negated: boolean, mode: 'now' | 'resolves' | 'rejects'): Record<string, unknown> {
    const target = objectCreate(null);
    for (let i = 0; i < matcherNames.length; i++) {
      const name = matcherNames[i] as string;
      const matcher: Matcher = (...args: unknown[]) => {
        if (mode === 'now') {
          const verdict = verdictOf(name, actual, args, false);
          if (verdict.pass === negated) throw failure(verdict, actual, negated, matcher);
          return undefined;
        }
        // The error is made now, so its stack points at the test's line, not at a microtask.
        const pending = new AssertionError({ message: 'pending', operator: 'expect', stackStartFn: matcher });
        const outcome = new PromiseCtor<void>((resolve, reject) => {
          const judge = (value: unknown, rejected: boolean): void => {
            if (rejected !== (mode === 'rejects')) {
              const expected = mode === 'rejects' ? 'a rejected promise' : 'a fulfilled promise';
              const actualText = (rejected ? 'rejected with ' : 'fulfilled with ') + show(value);
              reject(failure({ pass: false, verb: 'to be', expected, actual: actualText }, value, false, pending));
              return;
            }
            const verdict = verdictOf(name, value, args, name === 'toThrow' || name === 'toThrowError');
            if (verdict.pass === negated) reject(failure(verdict, value, negated, pending));
            else resolve();
          };
          settle(actual, (value) => judge(value, false), (error) => judge(error, true));
        });
        defineProperty(outcome, 'then', descriptor(then));
        defineProperty(outcome, 'constructor', descriptor(NO_SPECIES));
        return outcome;
      };
      defineProperty(target, name, descriptor(matcher));
    }
    // Made when first read: most expect(...) calls use none of them.
    const lazy = (key: string, make: () => Record<string, unknown>): void => {
      let made: Record<string, unknown> | undefined;
      const d = objectCreate(null) as PropertyDescriptor;
      d.get = () => (made ??= make());
      d.configurable = false;
      defineProperty(target, key, d);
    };
    if (!negated) {
      lazy('not', () => assertions(actual, true, mode));
      if (mode === 'now') {
        lazy('resolves', () => assertions(actual, false, 'resolves'));
        lazy('rejects', () => assertions(actual, false, 'rejects'));
      }
    }
    return freeze(target);
  }

  const expect = (actual: unknown): Record<string, unknown> => assertions(actual, false, 'now');
  // Counting assertions per test is not supported: these accept the call and check nothing.
  const unchecked = (): undefined => undefined;
  defineProperty(expect, 'assertions', descriptor(unchecked));
  defineProperty(expect, 'hasAssertions', descriptor(unchecked));
  return expect;
}
