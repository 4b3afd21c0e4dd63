import { createAssert } from './guest/assert.js';
import { createExpect } from './guest/expect.js';
import { createHarness, type HarnessConfig } from './guest/harness.js';
import { createSeededRandom } from './guest/random.js';
import { createRenderer } from './guest/render.js';
import { createSuite } from './guest/suite.js';
import { createTracer, type TracerConfig } from './guest/tracer.js';

export interface BootstrapConfig {
  /** Name the probes use for the tracer (a script-scope const, never a global); absent for plain runs. */
  tracerName?: string;
  /** Name of each instrumented function's frame const (the readers' parameter starts with it too). */
  frameName?: string;
  /** Global the tracer waits on until the host binds it to `tracerName` and deletes the global. */
  tracerSlot?: string;
  tracer: TracerConfig;
  harness: HarnessConfig;
  /** Seed of Math.random, so that a traced run repeats the plain run exactly. */
  seed: number;
}

/** Host commands of the control function the bootstrap returns (see sandbox.ts). */
export type ControlCommand = 'start' | 'tick' | 'report' | 'console' | 'trace';

let source: string | undefined;

/**
 * The code that prepares a fresh context before any user code runs: it captures what it needs
 * from the language, builds the renderer, assert module, tracer and harness from their
 * self-contained factories, hardens the few intrinsics user code could use to observe or steer
 * them (Proxy traps, Function.prototype.toString, Error.prepareStackTrace), and installs the
 * globals a program may use (console, require, timers). The script evaluates to a function of
 * (JSON config, the host's checkpoint callback) that returns the control function: the only
 * way to start the case and read its report, console and trace. It goes to the host alone;
 * nothing of the harness or tracer is reachable from the global object.
 */
export function bootstrapSource(): string {
  source ??= `(function (configJson, checkpoint) {
  'use strict';
  const config = JSON.parse(configJson);
  const FunctionProto = Function.prototype;
  const uncurry = FunctionProto.bind.bind(FunctionProto.call);
  const create = Object.create;
  const freeze = Object.freeze;
  const isFrozen = Object.isFrozen;
  const getProto = Object.getPrototypeOf;
  const getOwn = Object.getOwnPropertyDescriptor;
  const defineProperty = Object.defineProperty;
  const hasOwn = Object.hasOwn;
  const ownKeys = Reflect.ownKeys;
  const apply = Reflect.apply;
  const WeakSetCtor = WeakSet;
  const weakSetAdd = uncurry(WeakSet.prototype.add);
  const weakSetHas = uncurry(WeakSet.prototype.has);
  const strIndexOf = uncurry(String.prototype.indexOf);
  const strSlice = uncurry(String.prototype.slice);
  const strStartsWith = uncurry(String.prototype.startsWith);
  const ErrorCtor = Error;
  const ErrorProto = Error.prototype;
  const describe = (value, enumerable, writable, configurable) => {
    const d = create(null);
    d.value = value;
    d.enumerable = enumerable;
    d.writable = writable;
    d.configurable = configurable;
    return d;
  };
  const deepFreeze = (value) => {
    if ((typeof value === 'object' || typeof value === 'function') && value !== null && !isFrozen(value)) {
      freeze(value);
      const keys = ownKeys(value);
      for (let i = 0; i < keys.length; i++) {
        const d = getOwn(value, keys[i]);
        if (d && hasOwn(d, 'value')) deepFreeze(d.value);
      }
    }
    return value;
  };

  // The probe names: hidden from Proxy traps (a with-statement over a proxy would see them)
  // and from Function.prototype.toString (which would show them in the instrumented source).
  const hiddenNames = [];
  if (config.tracerName) hiddenNames[hiddenNames.length] = config.tracerName;
  if (config.frameName) hiddenNames[hiddenNames.length] = config.frameName;
  const isHiddenName = hiddenNames.length === 0 ? undefined : (key) => {
    if (typeof key !== 'string') return false;
    for (let i = 0; i < hiddenNames.length; i++) if (strStartsWith(key, hiddenNames[i])) return true;
    return false;
  };

  const renderer = (${createRenderer.toString()})(isHiddenName);
  const render = renderer.render;
  const isProxy = renderer.isProxy;
  const issued = new WeakMap();
  let assertInternals = null;
  const assert = deepFreeze((${createAssert.toString()})((value) => render(value, config.tracer.caps), issued, (internals) => {
    assertInternals = internals;
  }));
  const expect = freeze((${createExpect.toString()})({ render: (value) => render(value, config.tracer.caps), isProxy, issued, internals: assertInternals }));
  const suite = (${createSuite.toString()})({ expect, render: (value) => render(value, config.tracer.caps) });

  // ---- Error.prepareStackTrace: the user's, except while the harness reads a stack ----------
  // V8 looks the formatter up on the intrinsic Error when a stack is first read. The property
  // becomes an accessor the user cannot redefine: reads and writes behave as usual, but while
  // the harness formats a stack it gets a formatter that runs no user code (no getters on
  // name/message, no user prepareStackTrace).
  let userPrepare = undefined;
  let safeStacks = false;
  defineProperty(ErrorCtor, 'prepareStackTrace', describe((error, sites) => sites, false, true, true));
  const probeSites = new ErrorCtor().stack;
  delete ErrorCtor.prepareStackTrace;
  const CallSiteProto = getProto(probeSites[0]);
  const siteMethod = (name) => uncurry(CallSiteProto[name]);
  const siteFile = siteMethod('getFileName');
  const siteLine = siteMethod('getLineNumber');
  const siteColumn = siteMethod('getColumnNumber');
  const siteFunction = siteMethod('getFunctionName');
  const siteIsConstructor = siteMethod('isConstructor');
  const siteIsAsync = siteMethod('isAsync');
  const chainString = (o, key) => {
    let p = o;
    for (let hops = 0; p !== null && p !== undefined && hops < 100; hops++) {
      if (isProxy(p)) return undefined;
      const d = getOwn(p, key);
      if (d) return hasOwn(d, 'value') && typeof d.value === 'string' ? d.value : undefined;
      p = getProto(p);
    }
    return undefined;
  };
  const safeFormat = (error, sites) => {
    const short = (text) => (text !== undefined && text.length > 2000 ? strSlice(text, 0, text.length > 1048576 ? 0 : 2000) + '...' : text);
    const name = short((typeof error === 'object' && error !== null && chainString(error, 'name')) || 'Error');
    const message = short(typeof error === 'object' && error !== null ? chainString(error, 'message') : undefined);
    let text = message ? name + ': ' + message : name;
    for (let i = 0; i < sites.length; i++) {
      const site = sites[i];
      const file = siteFile(site);
      const line = siteLine(site);
      const column = siteColumn(site);
      const fn = siteFunction(site);
      let where = (file || '<anonymous>') + (line != null ? ':' + line + (column != null ? ':' + column : '') : '');
      let prefix = siteIsAsync(site) ? 'async ' : '';
      if (siteIsConstructor(site)) prefix += 'new ';
      text += '\\n    at ' + (fn ? prefix + fn + ' (' + where + ')' : prefix + where);
    }
    return text;
  };
  const stackAccessor = create(null);
  stackAccessor.get = function () { return safeStacks ? safeFormat : userPrepare; };
  stackAccessor.set = function (value) { userPrepare = value; };
  stackAccessor.enumerable = false;
  stackAccessor.configurable = false;
  defineProperty(ErrorCtor, 'prepareStackTrace', stackAccessor);
  const readStack = (error) => {
    safeStacks = true;
    try {
      const stack = chainString(error, 'stack');
      return stack;
    } catch {
      return undefined;
    } finally {
      safeStacks = false;
    }
  };

  const harness = (${createHarness.toString()})({ render, isProxy, assert, issued, readStack, modules: suite.modules }, config.harness);
  const tracer = config.tracerName ? freeze((${createTracer.toString()})(config.tracer, render, checkpoint)) : null;

  // ---- Function.prototype.toString ---------------------------------------------------------
  // The harness's own functions read as native ones; instrumented user functions show their
  // code with the probe names replaced by their public prefixes (__ldb$, __ldbF$).
  const originalToString = FunctionProto.toString;
  const nativeLooking = new WeakSetCtor();
  const publicForm = (name) => strSlice(name, 0, strIndexOf(name, '$') + 1);
  const censor = (text) => {
    let out = text;
    for (let i = 0; i < hiddenNames.length; i++) {
      const name = hiddenNames[i];
      const shown = publicForm(name);
      let at = strIndexOf(out, name);
      if (at === -1) continue;
      let result = '';
      let from = 0;
      while (at !== -1) {
        result += strSlice(out, from, at) + shown;
        from = at + name.length;
        at = strIndexOf(out, name, from);
      }
      out = result + strSlice(out, from);
    }
    return out;
  };
  const functionName = (fn) => {
    const d = getOwn(fn, 'name');
    return d && hasOwn(d, 'value') && typeof d.value === 'string' ? d.value : '';
  };
  const toStringHolder = {
    toString() {
      if (weakSetHas(nativeLooking, this)) return 'function ' + functionName(this) + '() { [native code] }';
      const text = apply(originalToString, this, []);
      return hiddenNames.length === 0 ? text : censor(text);
    },
  };
  defineProperty(FunctionProto, 'toString', describe(toStringHolder.toString, false, true, true));
  const looksNative = (fn) => {
    if (typeof fn === 'function') weakSetAdd(nativeLooking, fn);
  };
  looksNative(toStringHolder.toString);
  looksNative(stackAccessor.get);
  looksNative(stackAccessor.set);
  looksNative(harness.require);
  looksNative(Proxy.revocable);

  // ---- Math.random: seeded, so a traced run repeats the plain run ---------------------------
  const random = (${createSeededRandom.toString()})(config.seed);
  looksNative(random);
  defineProperty(Math, 'random', describe(random, false, true, true));

  // Atomics.waitAsync needs delayed tasks the isolate's platform does not run: isolated-vm aborts
  // the process when one is posted. Not available here.
  if (typeof Atomics === 'object' && typeof Atomics.waitAsync === 'function') {
    const unavailable = {
      waitAsync() {
        throw new TypeError('Atomics.waitAsync is not available in the sandbox');
      },
    }.waitAsync;
    looksNative(unavailable);
    defineProperty(Atomics, 'waitAsync', describe(unavailable, false, true, true));
  }

  // WebAssembly memory is outside what isolated-vm's memory limit counts, and wasm code can grow
  // it (memory.grow) by gigabytes: no WebAssembly in the sandbox (nothing else refers to it).
  delete globalThis.WebAssembly;

  // ---- globals a program may use -------------------------------------------------------------
  const defineGlobal = (name, value) => defineProperty(globalThis, name, describe(value, true, true, true));
  const globalConsole = harness.globalConsole();
  const consoleKeys = ownKeys(globalConsole);
  for (let i = 0; i < consoleKeys.length; i++) looksNative(globalConsole[consoleKeys[i]]);
  defineGlobal('console', globalConsole);
  defineGlobal('require', harness.require);
  const moduleObject = { exports: {} };
  defineGlobal('module', moduleObject);
  defineGlobal('exports', moduleObject.exports);
  defineGlobal('global', globalThis);
  const timerNames = ownKeys(harness.timers);
  for (let i = 0; i < timerNames.length; i++) {
    const fn = harness.timers[timerNames[i]];
    looksNative(fn);
    defineGlobal(timerNames[i], fn);
  }
  if (tracer !== null) defineProperty(globalThis, config.tracerSlot, describe(tracer, false, false, true));

  return function control(command, a, b) {
    if (command === 'start') return harness.start(a, b);
    if (command === 'tick') return harness.tick();
    if (command === 'report') return harness.report();
    if (command === 'console') return harness.consoleLines();
    if (command === 'trace') {
      if (tracer === null) return null;
      tracer.finishTop();
      return tracer.collect();
    }
    return null;
  };
})`;
  return source;
}
