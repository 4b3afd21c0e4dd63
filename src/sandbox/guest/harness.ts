/**
 * The in-sandbox test harness: captured console, `require` of the assert module only, the
 * comparison helper that rewritten console.assert calls use, run-scoped timers, and the case
 * runner that turns whatever a test does into a report. Self-contained like everything in guest/.
 *
 * The verdict lives in this closure and nowhere else: user code gets the console, require,
 * assert and timers (all frozen or harmless), never the functions that start the case, read the
 * report or the console lines. Those are reachable only through `control`, which the bootstrap
 * hands to the host and never to the global object. A test passes only when the case function
 * returned (or its promise fulfilled) with no failed assertion recorded here; nothing user code
 * throws, returns or assigns can set that.
 */

import type { AssertionRecord } from './assert.js';

export interface CaseReport {
  status: 'pass' | 'fail' | 'error';
  message?: string;
  expected?: string;
  actual?: string;
  name?: string;
  stack?: string;
}

export interface HarnessConfig {
  caps: { depth: number; items: number; stringLength: number };
  maxConsoleLines: number;
  maxConsoleChars: number;
}

/** What the harness needs from the rest of the bootstrap (all captured before user code runs). */
export interface HarnessDeps {
  render: (value: unknown, caps: HarnessConfig['caps']) => string;
  isProxy: (value: unknown) => boolean;
  assert: object & { strict: unknown };
  /** AssertionErrors the assert module constructed, with their texts. */
  issued: WeakMap<object, AssertionRecord>;
  /** An error's stack, formatted without running user code, or undefined. */
  readStack: (error: object) => string | undefined;
  /** More modules `require` returns by name (vitest, @jest/globals, node:test ...), all frozen. */
  modules: Record<string, unknown>;
}

export type CaseFunction = (
  cmp: (left: unknown, right: unknown, op: string, side?: string) => boolean,
  console: Record<string, (...args: unknown[]) => void>,
  require: (name: unknown) => unknown,
  assert: unknown,
) => unknown;

/** `start` and `tick` answers: the case finished, timers may still settle it, or nothing can. */
export type CaseState = 'done' | 'pending' | 'idle';

export interface Harness {
  /** Frozen; what the case function receives. */
  console: Record<string, (...args: unknown[]) => void>;
  /** A fresh, mutable copy of the console for the global object (programs may patch it). */
  globalConsole(): Record<string, (...args: unknown[]) => void>;
  require(name: unknown): unknown;
  /** setTimeout and friends, for the global object. */
  timers: Record<string, Function>;
  /** Host side only (through the bootstrap's control function). */
  start(test: CaseFunction, isAsync: boolean): CaseState;
  tick(): CaseState;
  report(): string;
  consoleLines(): string;
}

export function createHarness(deps: HarnessDeps, config: HarnessConfig): Harness {
  const FunctionProto = Function.prototype;
  const uncurry = FunctionProto.bind.bind(FunctionProto.call) as unknown as (fn: Function) => (self: unknown, ...args: unknown[]) => unknown;
  const stringify = JSON.stringify;
  const getOwn = Object.getOwnPropertyDescriptor;
  const getProto = Object.getPrototypeOf as (o: object) => object | null;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;
  const objectCreate = Object.create as (proto: null) => Record<string, unknown>;
  const setPrototypeOf = Object.setPrototypeOf;
  const hasOwn = Object.hasOwn;
  const apply = Reflect.apply as (fn: Function, self: unknown, args: ArrayLike<unknown>) => unknown;
  const then = Promise.prototype.then;
  const resolved = Promise.resolve();
  const weakMapGet = uncurry(WeakMap.prototype.get) as (m: unknown, k: unknown) => unknown;
  const strSlice = uncurry(String.prototype.slice) as (s: string, start: number, end?: number) => string;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const ErrorProto = Error.prototype;
  const symbolToPrimitive = Symbol.toPrimitive;
  const render = deps.render;
  const isProxy = deps.isProxy;
  const assert = deps.assert;
  const issued = deps.issued;
  const readStack = deps.readStack;
  const caps = config.caps;
  const maxLines = config.maxConsoleLines;
  const maxChars = config.maxConsoleChars;
  const maxLineChars = 2000;

  /** Internal lists have no prototype, so index writes never reach accessors on Array.prototype. */
  const newList = <T>(): T[] => setPrototypeOf([], null) as T[];
  /**
   * A data property descriptor with no prototype: `defineProperty` looks `get`/`set` up with
   * [[HasProperty]], so a literal descriptor would see an `Object.prototype.get` user code added.
   */
  const dataDescriptor = (value: unknown, enumerable = false, writable = true, configurable = true): PropertyDescriptor => {
    const d = objectCreate(null) as PropertyDescriptor;
    d.value = value;
    d.writable = writable;
    d.enumerable = enumerable;
    d.configurable = configurable;
    return d;
  };
  /**
   * Stands in as a promise's own `constructor` before the harness calls `then` on it, so that
   * `then` makes its derived promise with the intrinsic Promise (no species lookup reaches code
   * user code may have put on Promise.prototype.constructor or Promise[Symbol.species]).
   */
  const NO_SPECIES = freeze(setPrototypeOf({ [Symbol.species]: undefined }, null));
  const safeThen = (promise: object, onFulfilled: (value: unknown) => unknown, onRejected: (error: unknown) => unknown): void => {
    defineProperty(promise, 'constructor', dataDescriptor(NO_SPECIES));
    apply(then, promise, [onFulfilled, onRejected]);
  };
  safeThen(resolved, () => undefined, () => undefined);

  // ---- console ----------------------------------------------------------------------------

  const lines = newList<string>();
  let consoleChars = 0;
  let consoleDropped = 0;

  /** Longer strings are never read (reading one built by concatenation would flatten it all). */
  const hugeString = 1 << 20;

  function format(args: ArrayLike<unknown>): string {
    let text = '';
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const shown =
        typeof arg !== 'string' ? render(arg, caps) : arg.length > hugeString ? '[string of ' + arg.length + ' characters]' : arg;
      text += (i > 0 ? ' ' : '') + shown;
      if (text.length > maxLineChars) break;
    }
    return text;
  }

  function print(raw: string): void {
    let text = raw;
    if (text.length > maxLineChars) {
      text = strSlice(text, 0, maxLineChars) + '... (' + (raw.length - maxLineChars) + ' more characters)';
    }
    if (lines.length >= maxLines || consoleChars + text.length > maxChars) {
      consoleDropped++;
      return;
    }
    consoleChars += text.length;
    lines[lines.length] = text;
  }

  // ---- the verdict ------------------------------------------------------------------------

  let started = false;
  let done = false;
  /** The first failed console.assert (or comparison inside one), if any. */
  let failure: CaseReport | null = null;
  /** What the case threw, or an uncaught error of a timer callback. */
  let thrown: CaseReport | null = null;
  /** The failure the last comparison recorded, until its console.assert call adds the message. */
  let cmpFailure: CaseReport | null = null;

  /** Report texts come from user values (an error's message): bounded before they leave. */
  function capText(text: string): string {
    if (text.length > hugeString) return '[string of ' + text.length + ' characters]';
    return text.length <= 10000 ? text : strSlice(text, 0, 10000) + '... (' + (text.length - 10000) + ' more characters)';
  }

  function newReport(status: CaseReport['status']): CaseReport {
    const report = objectCreate(null) as unknown as CaseReport;
    report.status = status;
    return report;
  }

  function recordFailure(message: string, expected: string | undefined, actual: string | undefined): void {
    if (failure !== null) return;
    failure = newReport('fail');
    failure.message = capText(message);
    if (expected !== undefined) failure.expected = expected;
    if (actual !== undefined) failure.actual = actual;
  }

  /** `console.assert` as the case and the program see it: a failed one fails the test. */
  function consoleAssert(condition: unknown, ...args: unknown[]): void {
    if (condition) return;
    const message = args.length > 0 ? format(args) : '';
    print(message ? 'Assertion failed: ' + message : 'Assertion failed');
    // The comparison inside this very call may have recorded the failure: give it the message.
    if (failure === null) recordFailure(message || 'console.assert failed', undefined, undefined);
    else if (message && failure === cmpFailure) failure.message = capText(message);
    cmpFailure = null;
  }

  /**
   * Every `console.assert(cond, ...)` in a test is rewritten to `console.assert(cmp(...), ...)`:
   * a failing comparison is recorded here, so the verdict does not depend on which
   * `console.assert` function ends up being called.
   */
  function cmp(left: unknown, right: unknown, op: string, side?: string): boolean {
    let ok: boolean;
    if (op === '===') ok = left === right;
    else if (op === '==') ok = left == right;
    else if (op === '!==') ok = left !== right;
    else if (op === '!=') ok = left != right;
    else ok = !!left;
    if (ok) return true;
    const before = failure;
    if (op === 'truthy') {
      recordFailure('console.assert failed', 'a truthy value', render(left, caps));
    } else {
      const actualIsLeft = side !== 'right';
      const actual = render(actualIsLeft ? left : right, caps);
      const other = render(actualIsLeft ? right : left, caps);
      recordFailure('console.assert failed', op === '!==' || op === '!=' ? 'not ' + other : other, actual);
    }
    cmpFailure = before === null ? failure : null;
    return false;
  }

  const log = (...args: unknown[]): void => print(format(args));
  const consoleMethods: [string, (...args: unknown[]) => void][] = [
    ['log', log],
    ['info', log],
    ['debug', log],
    ['warn', log],
    ['error', log],
    ['trace', log],
    ['table', log],
    ['dir', (value: unknown) => print(render(value, caps))],
    ['assert', consoleAssert],
  ];
  function makeConsole(): Record<string, (...args: unknown[]) => void> {
    const target: Record<string, (...args: unknown[]) => void> = {};
    for (let i = 0; i < consoleMethods.length; i++) {
      const entry = consoleMethods[i] as [string, (...args: unknown[]) => void];
      defineProperty(target, entry[0], dataDescriptor(entry[1], true));
    }
    return target;
  }
  const frozenConsole = freeze(makeConsole());

  // ---- what was thrown ----------------------------------------------------------------------

  const isObject = (value: unknown): value is object =>
    (typeof value === 'object' && value !== null) || typeof value === 'function';

  /** A data property along the prototype chain; stops (undefined) at accessors and proxies. */
  function dataProperty(target: object, key: string): unknown {
    let o: object | null = target;
    for (let hops = 0; o !== null && hops < 100; hops++) {
      if (isProxy(o)) return undefined;
      const d = getOwn(o, key);
      if (d) return hasOwn(d, 'value') ? d.value : undefined;
      o = getProto(o);
    }
    return undefined;
  }

  function isError(value: object): boolean {
    let o: object | null = value;
    for (let hops = 0; o !== null && hops < 100; hops++) {
      if (isProxy(o)) return false;
      if (o === ErrorProto) return true;
      o = getProto(o);
    }
    return false;
  }

  /** Reads nothing through getters, traps, toString or valueOf of the thrown value. */
  function describeThrown(error: unknown): CaseReport {
    if (isObject(error) && !isProxy(error)) {
      const record = weakMapGet(issued, error) as AssertionRecord | undefined;
      if (record !== undefined) {
        const report = newReport('fail');
        report.message = capText(record.message);
        report.expected = record.expectedText;
        report.actual = record.actualText;
        // Where the assertion was made: the host maps it to the test file's line.
        const stack = readStack(error);
        if (stack !== undefined) report.stack = capText(stack);
        return report;
      }
      if (isError(error)) {
        const name = dataProperty(error, 'name');
        const message = dataProperty(error, 'message');
        const report = newReport('error');
        report.name = typeof name === 'string' ? capText(name) : 'Error';
        report.message = typeof message === 'string' ? capText(message) : '';
        const stack = readStack(error);
        if (stack !== undefined) report.stack = capText(stack);
        return report;
      }
    }
    const report = newReport('error');
    report.name = 'Uncaught';
    report.message = 'a non-Error value was thrown: ' + render(error, caps);
    return report;
  }

  function finishWith(error: unknown): void {
    if (thrown === null) thrown = describeThrown(error);
    done = true;
  }

  function finish(): void {
    done = true;
  }

  // ---- require ------------------------------------------------------------------------------

  const modules = objectCreate(null);
  modules['assert'] = assert;
  modules['node:assert'] = assert;
  modules['assert/strict'] = assert.strict;
  modules['node:assert/strict'] = assert.strict;
  const extraModules = deps.modules;
  for (const name in extraModules) modules[name] = extraModules[name];

  function requireModule(name: unknown): unknown {
    if (typeof name === 'string' && hasOwn(modules, name)) return modules[name];
    const shown = typeof name === 'string' ? name : render(name, caps);
    const error = new ErrorCtor(
      "module not available in the sandbox: '" +
        shown +
        "' (ldb provides only 'assert', 'node:assert', 'vitest', '@jest/globals' and 'node:test'; no files, network or npm packages)",
    );
    defineProperty(error, 'code', dataDescriptor('MODULE_NOT_FOUND', true));
    throw error;
  }

  // ---- timers ---------------------------------------------------------------------------------
  // Virtual time: callbacks run in the order of their due time (then creation order), one per
  // host tick, and only while an async case is waiting; no real time passes and nothing outlives
  // the context. Date.now() keeps the real clock.

  interface Timer {
    id: number;
    due: number;
    seq: number;
    fn: Function;
    args: unknown[];
    repeat: number;
    active: boolean;
    handle: object;
  }
  const timers = newList<Timer>();
  let clock = 0;
  let nextId = 1;
  let nextSeq = 0;

  function delayOf(value: unknown): number {
    // Like node: anything that is not a number in [1, 2^31 - 1] means 1 ms. Not coerced, so
    // no user valueOf runs here.
    return typeof value === 'number' && value >= 1 && value <= 2147483647 ? value : 1;
  }

  function checkCallback(fn: unknown): void {
    if (typeof fn !== 'function') {
      const error = new TypeErrorCtor('The "callback" argument must be of type function. Received ' + render(fn, caps));
      defineProperty(error, 'code', dataDescriptor('ERR_INVALID_ARG_TYPE', true));
      throw error;
    }
  }

  const TimeoutProto = objectCreate(null);
  function schedule(fn: unknown, delay: number, args: unknown[], repeat: number): object {
    checkCallback(fn);
    const id = nextId++;
    const handle = objectCreate(TimeoutProto as unknown as null);
    const timer: Timer = objectCreate(null) as unknown as Timer;
    timer.id = id;
    timer.due = clock + delay;
    timer.seq = nextSeq++;
    timer.fn = fn as Function;
    timer.args = args;
    timer.repeat = repeat;
    timer.active = true;
    timer.handle = handle;
    timers[timers.length] = timer;
    defineProperty(handle, 'id', dataDescriptor(id, false, false, false));
    return freeze(handle);
  }

  function cancel(handle: unknown): void {
    for (let i = 0; i < timers.length; i++) {
      const timer = timers[i] as Timer;
      if (timer.handle === handle || timer.id === handle) {
        timer.active = false;
        removeAt(i);
        return;
      }
    }
  }

  function removeAt(i: number): void {
    for (let j = i; j + 1 < timers.length; j++) timers[j] = timers[j + 1] as Timer;
    timers.length = timers.length - 1;
  }

  const timerMethods = {
    ref() {
      return this;
    },
    unref() {
      return this;
    },
    hasRef() {
      return true;
    },
    refresh() {
      return this;
    },
    close() {
      cancel(this);
      return this;
    },
    [symbolToPrimitive]() {
      return (this as unknown as { id: number }).id;
    },
  };
  const methodNames: (string | symbol)[] = ['ref', 'unref', 'hasRef', 'refresh', 'close', symbolToPrimitive];
  for (let i = 0; i < methodNames.length; i++) {
    const key = methodNames[i] as string;
    defineProperty(TimeoutProto, key, dataDescriptor((timerMethods as Record<string, unknown>)[key], false, false, false));
  }
  freeze(TimeoutProto);

  function restArgs(all: ArrayLike<unknown>, from: number): unknown[] {
    const out = newList<unknown>();
    for (let i = from; i < all.length; i++) out[out.length] = all[i];
    return out;
  }

  const timerFunctions = {
    setTimeout(fn: unknown, delay?: unknown, ...args: unknown[]) {
      return schedule(fn, delayOf(delay), restArgs(args, 0), 0);
    },
    setInterval(fn: unknown, delay?: unknown, ...args: unknown[]) {
      const ms = delayOf(delay);
      return schedule(fn, ms, restArgs(args, 0), ms);
    },
    setImmediate(fn: unknown, ...args: unknown[]) {
      return schedule(fn, 0, restArgs(args, 0), 0);
    },
    clearTimeout(handle: unknown) {
      cancel(handle);
    },
    clearInterval(handle: unknown) {
      cancel(handle);
    },
    clearImmediate(handle: unknown) {
      cancel(handle);
    },
    queueMicrotask(fn: unknown) {
      checkCallback(fn);
      const callback = fn as Function;
      // An exception here rejects a promise nobody handles: the host reports it, as node would.
      apply(then, resolved, [() => apply(callback, undefined, [])]);
    },
  };

  /** Runs the earliest timer, if any. */
  function fireNext(): boolean {
    let next = -1;
    for (let i = 0; i < timers.length; i++) {
      const timer = timers[i] as Timer;
      const best = next === -1 ? undefined : (timers[next] as Timer);
      if (best === undefined || timer.due < best.due || (timer.due === best.due && timer.seq < best.seq)) next = i;
    }
    if (next === -1) return false;
    const timer = timers[next] as Timer;
    if (timer.due > clock) clock = timer.due;
    if (timer.repeat > 0) {
      timer.due = clock + timer.repeat;
      timer.seq = nextSeq++;
    } else {
      removeAt(next);
    }
    try {
      apply(timer.fn, undefined, timer.args);
    } catch (error) {
      // An uncaught exception in a timer callback would end a node process: the test fails.
      finishWith(error);
    }
    return true;
  }

  // ---- the host's side ------------------------------------------------------------------------

  return {
    console: frozenConsole,
    globalConsole: makeConsole,
    require: requireModule,
    timers: timerFunctions,
    start(test, isAsync) {
      if (started) return done ? 'done' : 'pending';
      started = true;
      try {
        const result = test(cmp, frozenConsole, requireModule, assert);
        if (!isAsync) {
          finish();
          return 'done';
        }
        // An async function's own promise: intrinsic, and not yet seen by user code.
        safeThen(result as object, finish, finishWith);
        return 'pending';
      } catch (error) {
        finishWith(error);
        return 'done';
      }
    },
    tick() {
      if (done) return 'done';
      return fireNext() ? 'pending' : 'idle';
    },
    report() {
      let report: CaseReport;
      if (thrown !== null) report = thrown;
      else if (!done) {
        report = newReport('error');
        report.name = 'Error';
        report.message = started ? 'the test did not finish' : 'the test did not run';
      } else report = failure ?? newReport('pass');
      return stringify(report);
    },
    consoleLines() {
      const all = newList<string>();
      for (let i = 0; i < lines.length; i++) all[i] = lines[i] as string;
      if (consoleDropped > 0) all[all.length] = '... ' + consoleDropped + ' more console lines not kept';
      return stringify(all);
    },
  };
}
