/**
 * The in-isolate `test`/`it`/`describe` and hooks of vitest, `@jest/globals` and `node:test`.
 *
 * A test file runs whole in each of its cases (so its lines are its own and its top-level code
 * runs as it would under vitest): `describe` runs its callback at once, `test` and the hooks are
 * recorded, and then the case's one test runs with the hooks around it: beforeAll and beforeEach
 * from the outermost suite in, the test, then afterEach and afterAll from the innermost suite out
 * (each suite's after-hooks in reverse order, like vitest's default `sequence.hooks: 'stack'`).
 * A failing hook or test stops the rest of the "before" part; the after-hooks still run; the
 * first error is the case's outcome. `.skip`/`.todo` register nothing (the host never makes
 * cases of them); `.only` behaves as a plain test here (the host picks the cases).
 *
 * Self-contained like everything in guest/. Registration is open only between `collect()`
 * (one-shot, called by the case's first line) and `run()`, so a program cannot register tests in
 * advance; interfering with either call ends the case with an error, never a pass.
 */

export interface SuiteDeps {
  expect: unknown;
  render: (value: unknown) => string;
}

export interface SuiteSession {
  /**
   * Runs the `occurrence`-th test named `name`; with occurrence -1 (a title that is not a literal),
   * the `ordinal`-th test, provided the file registered the `total` tests the host found.
   */
  run(name: string, occurrence: number, ordinal: number, total: number): Promise<void>;
}

export interface Suite {
  /** 'vitest', '@jest/globals', 'node:test' and 'ldb:suite' (collect and the globals' flavour). */
  modules: Record<string, unknown>;
}

export function createSuite(deps: SuiteDeps): Suite {
  type Style = 'vitest' | 'jest' | 'node';
  interface Group {
    parent: Group | null;
    title: string;
    hooks: Record<string, Function[]>;
  }
  interface Registered {
    name: string;
    fn: Function;
    group: Group;
    style: Style;
  }
  interface Step {
    fn: Function;
    args: unknown[];
    done: boolean;
  }
  const freeze = Object.freeze;
  const getOwn = Object.getOwnPropertyDescriptor;
  const getProto = Object.getPrototypeOf as (o: object) => object | null;
  const defineProperty = Object.defineProperty;
  const setPrototypeOf = Object.setPrototypeOf;
  const objectCreate = Object.create as (proto: null) => Record<string, unknown>;
  const hasOwn = Object.hasOwn;
  const apply = Reflect.apply as (fn: Function, self: unknown, args: ArrayLike<unknown>) => unknown;
  const ErrorCtor = Error;
  const PromiseCtor = Promise;
  const PromiseProto = Promise.prototype;
  const promiseResolve = Promise.resolve.bind(Promise);
  const then = Promise.prototype.then;
  const AsyncFunctionProto = getProto(async function () {});
  const render = deps.render;
  const expect = deps.expect;
  const NO_SPECIES = freeze(setPrototypeOf({ [Symbol.species]: undefined }, null));
  const NONE = objectCreate(null);
  const HOOKS = ['beforeAll', 'beforeEach', 'afterEach', 'afterAll'];

  const newList = <T>(): T[] => setPrototypeOf([], null) as T[];
  const descriptor = (value: unknown, enumerable: boolean): PropertyDescriptor => {
    const d = objectCreate(null) as PropertyDescriptor;
    d.value = value;
    d.enumerable = enumerable;
    d.writable = false;
    d.configurable = false;
    return d;
  };
  const isObject = (value: unknown): value is object => (typeof value === 'object' && value !== null) || typeof value === 'function';
  const dataValue = (target: unknown, key: string): unknown => {
    if (!isObject(target)) return undefined;
    const d = getOwn(target, key);
    return d !== undefined && hasOwn(d, 'value') ? d.value : undefined;
  };

  function newGroup(parent: Group | null, title: string): Group {
    const hooks = objectCreate(null) as Record<string, Function[]>;
    for (let i = 0; i < HOOKS.length; i++) hooks[HOOKS[i] as string] = newList<Function>();
    const group = objectCreate(null) as unknown as Group;
    group.parent = parent;
    group.title = title;
    group.hooks = hooks;
    return group;
  }

  let state: 'idle' | 'collecting' | 'running' = 'idle';
  let current = newGroup(null, '');
  const tests = newList<Registered>();

  function titleOf(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'function') {
      const name = dataValue(value, 'name');
      return typeof name === 'string' ? name : '';
    }
    try {
      return render(value);
    } catch {
      return '?';
    }
  }

  function pathOf(group: Group, title: string): string {
    let name = title;
    for (let g: Group | null = group; g !== null && g.parent !== null; g = g.parent) name = g.title + ' > ' + name;
    return name;
  }

  /** `test(title, fn)`, `test(title, options, fn)`, `test(fn)` (node): title, options and function. */
  function partsOf(args: unknown[]): { title: string; fn: Function | undefined; skipped: boolean } {
    let fn: Function | undefined;
    let skipped = false;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (typeof arg === 'function') fn = arg;
      else if (i > 0 && isObject(arg)) skipped = !!dataValue(arg, 'skip') || !!dataValue(arg, 'todo');
    }
    return { title: titleOf(args[0]), fn, skipped };
  }

  function register(style: Style, mode: 'run' | 'skip', args: unknown[]): undefined {
    if (state !== 'collecting') return undefined;
    const parts = partsOf(args);
    if (mode === 'skip' || parts.skipped || parts.fn === undefined) return undefined;
    const entry = objectCreate(null) as unknown as Registered;
    entry.name = pathOf(current, parts.title);
    entry.fn = parts.fn;
    entry.group = current;
    entry.style = style;
    tests[tests.length] = entry;
    return undefined;
  }

  function group(mode: 'run' | 'skip', args: unknown[]): undefined {
    if (state !== 'collecting') return undefined;
    const parts = partsOf(args);
    if (mode === 'skip' || parts.skipped || parts.fn === undefined) return undefined;
    const inner = newGroup(current, parts.title);
    const outer = current;
    current = inner;
    try {
      apply(parts.fn, undefined, []);
    } finally {
      current = outer;
    }
    return undefined;
  }

  function hook(kind: string): (fn: unknown) => undefined {
    return (fn: unknown) => {
      if (state === 'collecting' && typeof fn === 'function') {
        const list = current.hooks[kind] as Function[];
        list[list.length] = fn;
      }
      return undefined;
    };
  }

  const noRows = (): ((...args: unknown[]) => undefined) => () => undefined;

  /** `test` with its modifiers (not frozen yet); `.each` registers nothing (its rows are not split into cases). */
  function testFunction(style: Style): Function {
    const test = (...args: unknown[]) => register(style, 'run', args);
    const skip = (...args: unknown[]) => register(style, 'skip', args);
    const modifiers: [string, unknown][] = [
      ['skip', freeze(skip)],
      ['todo', skip],
      ['only', test],
      ['concurrent', test],
      ['sequential', test],
      ['each', freeze(noRows)],
    ];
    for (let i = 0; i < modifiers.length; i++) {
      const entry = modifiers[i] as [string, unknown];
      defineProperty(test, entry[0], descriptor(entry[1], true));
    }
    return test;
  }

  function describeFunction(): Function {
    const describe = (...args: unknown[]) => group('run', args);
    const skip = (...args: unknown[]) => group('skip', args);
    defineProperty(describe, 'skip', descriptor(freeze(skip), true));
    defineProperty(describe, 'todo', descriptor(skip, true));
    defineProperty(describe, 'only', descriptor(describe, true));
    defineProperty(describe, 'concurrent', descriptor(describe, true));
    defineProperty(describe, 'sequential', descriptor(describe, true));
    defineProperty(describe, 'each', descriptor(freeze(noRows), true));
    return freeze(describe);
  }

  function moduleOf(entries: [string, unknown][], base?: Function): object {
    const target = base ?? objectCreate(null);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as [string, unknown];
      if (!hasOwn(target, entry[0])) defineProperty(target, entry[0], descriptor(entry[1], true));
    }
    return freeze(target);
  }

  // ---- running one test with its hooks ------------------------------------------------------

  /** The intrinsic `then`, with no species lookup; a thenable that is not a promise runs its own. */
  function settle(value: object, onFulfilled: () => void, onRejected: (error: unknown) => void): void {
    if (getProto(value) === PromiseProto) {
      try {
        defineProperty(value, 'constructor', descriptor(NO_SPECIES, false));
        apply(then, value, [onFulfilled, onRejected]);
        return;
      } catch {
        // frozen or not a real promise: the generic path below
      }
    }
    apply(then, promiseResolve(value), [onFulfilled, onRejected]);
  }

  function contextFor(name: string): Record<string, unknown> {
    const context = objectCreate(null);
    defineProperty(context, 'name', descriptor(name, true));
    defineProperty(context, 'expect', descriptor(expect, true));
    defineProperty(context, 'diagnostic', descriptor(() => undefined, true));
    return freeze(context);
  }

  /** A test that takes a `done` callback (Jest: one parameter; node:test: two) settles when it is called. */
  function callStep(step: Step): unknown {
    if (!step.done) return apply(step.fn, undefined, step.args);
    return new PromiseCtor<void>((resolve, reject) => {
      const done = (error?: unknown): void => (error === undefined || error === null ? resolve() : reject(error));
      const args = newList<unknown>();
      for (let i = 0; i < step.args.length; i++) args[i] = step.args[i];
      args[args.length] = done;
      apply(step.fn, undefined, args);
    });
  }

  function runSteps(before: Step[], after: Step[]): Promise<void> {
    const outcome = new PromiseCtor<void>((resolve, reject) => {
      let error: unknown = NONE;
      let index = 0;
      let inBefore = true;
      const fail = (thrown: unknown): void => {
        if (error === NONE) error = thrown;
      };
      const next = (): void => {
        for (;;) {
          if (inBefore && (error !== NONE || index >= before.length)) {
            inBefore = false;
            index = 0;
          }
          const steps = inBefore ? before : after;
          if (index >= steps.length) {
            if (error === NONE) resolve();
            else reject(error);
            return;
          }
          const step = steps[index++] as Step;
          let result: unknown;
          try {
            result = callStep(step);
          } catch (thrown) {
            fail(thrown);
            continue;
          }
          if (isObject(result) && (getProto(result) === PromiseProto || typeof (result as { then?: unknown }).then === 'function')) {
            settle(result as object, next, (thrown) => {
              fail(thrown);
              next();
            });
            return;
          }
        }
      };
      next();
    });
    defineProperty(outcome, 'then', descriptor(then, false));
    defineProperty(outcome, 'constructor', descriptor(NO_SPECIES, false));
    return outcome;
  }

  function stepsOf(test: Registered): { before: Step[]; after: Step[] } {
    const chain = newList<Group>();
    for (let g: Group | null = test.group; g !== null; g = g.parent) chain[chain.length] = g;
    const context = contextFor(test.name);
    const before = newList<Step>();
    const after = newList<Step>();
    const add = (list: Step[], fn: Function, done: boolean, args: unknown[]): void => {
      const step = objectCreate(null) as unknown as Step;
      step.fn = fn;
      step.done = done;
      step.args = args;
      list[list.length] = step;
    };
    const hookArgs = newList<unknown>();
    hookArgs[0] = context;
    for (let k = 0; k < 2; k++) {
      const kind = HOOKS[k] as string;
      for (let g = chain.length - 1; g >= 0; g--) {
        const hooks = (chain[g] as Group).hooks[kind] as Function[];
        for (let i = 0; i < hooks.length; i++) add(before, hooks[i] as Function, false, kind === 'beforeEach' ? hookArgs : newList());
      }
    }
    const fn = test.fn;
    const length = dataValue(fn, 'length');
    const isAsync = getProto(fn) === AsyncFunctionProto;
    const usesDone = !isAsync && ((test.style === 'jest' && length === 1) || (test.style === 'node' && length === 2));
    add(before, fn, usesDone, test.style === 'jest' ? newList() : hookArgs);
    for (let k = 2; k < 4; k++) {
      const kind = HOOKS[k] as string;
      for (let g = 0; g < chain.length; g++) {
        const hooks = (chain[g] as Group).hooks[kind] as Function[];
        for (let i = hooks.length - 1; i >= 0; i--) add(after, hooks[i] as Function, false, kind === 'afterEach' ? hookArgs : newList());
      }
    }
    return { before, after };
  }

  function find(name: string, occurrence: number, ordinal: number, total: number): Registered | undefined {
    if (occurrence < 0) return tests.length === total ? tests[ordinal] : undefined;
    let seen = 0;
    for (let i = 0; i < tests.length; i++) {
      const test = tests[i] as Registered;
      if (test.name === name && seen++ === occurrence) return test;
    }
    return undefined;
  }

  const session: SuiteSession = freeze({
    run(name: string, occurrence: number, ordinal: number, total: number): Promise<void> {
      if (state !== 'collecting') throw new ErrorCtor('ldb: the test file was run twice in one case');
      state = 'running';
      const test = find(name, occurrence, ordinal, total);
      if (test === undefined) {
        const why =
          occurrence < 0
            ? ' could not be told apart: its title is not a literal and the file declared other tests in loops or functions; give it a literal title'
            : ' was not declared when the test file ran';
        throw new ErrorCtor('ldb: the test ' + name + why + ' (tests declared in loops or by test.each are not split into cases)');
      }
      const steps = stepsOf(test);
      return runSteps(steps.before, steps.after);
    },
  });

  function collect(): SuiteSession {
    if (state !== 'idle') throw new ErrorCtor('ldb: the test file was collected twice in one case');
    state = 'collecting';
    return session;
  }

  const hooks: [string, unknown][] = [
    ['beforeAll', hook('beforeAll')],
    ['beforeEach', hook('beforeEach')],
    ['afterEach', hook('afterEach')],
    ['afterAll', hook('afterAll')],
  ];
  const vitestTest = freeze(testFunction('vitest'));
  const describe = describeFunction();
  const jestTest = freeze(testFunction('jest'));
  const skipTest = (vitestTest as unknown as Record<string, Function>).skip as Function;
  const skipGroup = (describe as unknown as Record<string, Function>).skip as Function;
  const vitest = moduleOf([['expect', expect], ['test', vitestTest], ['it', vitestTest], ['describe', describe], ['suite', describe], ...hooks]);
  const jestExtras: [string, unknown][] = [['fit', jestTest], ['xit', skipTest], ['xtest', skipTest], ['fdescribe', describe], ['xdescribe', skipGroup]];
  const jest = moduleOf([['expect', expect], ['test', jestTest], ['it', jestTest], ['describe', describe], ...hooks, ...jestExtras]);
  const nodeTest = testFunction('node');
  const nodeHooks: [string, unknown][] = [['before', hook('beforeAll')], ['after', hook('afterAll')], ['beforeEach', hook('beforeEach')], ['afterEach', hook('afterEach')]];
  const nodeModule = moduleOf([['test', nodeTest], ['it', nodeTest], ['describe', describe], ['suite', describe], ...nodeHooks], nodeTest);
  // Test files that use these names without importing them get vitest's, plus Jest's f/x forms.
  const globals = moduleOf([['expect', expect], ['test', vitestTest], ['it', vitestTest], ['describe', describe], ['suite', describe], ...hooks, ...jestExtras]);
  const modules = objectCreate(null);
  modules['vitest'] = vitest;
  modules['@jest/globals'] = jest;
  modules['node:test'] = nodeModule;
  modules['ldb:suite'] = moduleOf([['collect', collect], ['globals', globals]]);
  return { modules };
}
