/**
 * Runs the steps of one test case in order (hooks, the test, subtests), each of which may return
 * a promise, and settles with the first error. Self-contained like everything in guest/: it
 * captures the intrinsics it uses before user code runs, awaits promises with the captured `then`
 * and no species lookup, and the promise it returns carries its own `then` and `constructor`,
 * so whoever awaits it (the async case function) never reaches a `then` the program replaced.
 */

export interface Step {
  fn: Function;
  args: unknown[];
  /** The function takes a `done` callback (after `args`) and has finished when it is called. */
  done: boolean;
}

export interface StepRunner {
  /** `before` in order until one fails, then every `after` step; settles with the first error. */
  run(before: Step[], after: Step[]): Promise<void>;
  step(fn: Function, args: unknown[], done: boolean): Step;
  list<T>(): T[];
}

export function createStepRunner(): StepRunner {
  const freeze = Object.freeze;
  const getProto = Object.getPrototypeOf as (o: object) => object | null;
  const defineProperty = Object.defineProperty;
  const setPrototypeOf = Object.setPrototypeOf;
  const objectCreate = Object.create as (proto: null) => Record<string, unknown>;
  const apply = Reflect.apply as (fn: Function, self: unknown, args: ArrayLike<unknown>) => unknown;
  const PromiseCtor = Promise;
  const PromiseProto = Promise.prototype;
  const promiseResolve = Promise.resolve.bind(Promise);
  const then = Promise.prototype.then;
  const NO_SPECIES = freeze(setPrototypeOf({ [Symbol.species]: undefined }, null));
  const NONE = objectCreate(null);

  const list = <T>(): T[] => setPrototypeOf([], null) as T[];
  const descriptor = (value: unknown): PropertyDescriptor => {
    const d = objectCreate(null) as PropertyDescriptor;
    d.value = value;
    d.writable = false;
    d.enumerable = false;
    d.configurable = false;
    return d;
  };
  const isObject = (value: unknown): value is object => (typeof value === 'object' && value !== null) || typeof value === 'function';

  /** The intrinsic `then`, with no species lookup; a thenable that is not a promise runs its own. */
  function settle(value: object, onFulfilled: () => void, onRejected: (error: unknown) => void): void {
    if (getProto(value) === PromiseProto) {
      try {
        defineProperty(value, 'constructor', descriptor(NO_SPECIES));
        apply(then, value, [onFulfilled, onRejected]);
        return;
      } catch {
        // frozen or not a real promise: the generic path below
      }
    }
    apply(then, promiseResolve(value), [onFulfilled, onRejected]);
  }

  function callStep(step: Step): unknown {
    if (!step.done) return apply(step.fn, undefined, step.args);
    return new PromiseCtor<void>((resolve, reject) => {
      const done = (error?: unknown): void => (error === undefined || error === null ? resolve() : reject(error));
      const args = list<unknown>();
      for (let i = 0; i < step.args.length; i++) args[i] = step.args[i];
      args[args.length] = done;
      apply(step.fn, undefined, args);
    });
  }

  function run(before: Step[], after: Step[]): Promise<void> {
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
            settle(result, next, (thrown) => {
              fail(thrown);
              next();
            });
            return;
          }
        }
      };
      next();
    });
    defineProperty(outcome, 'then', descriptor(then));
    defineProperty(outcome, 'constructor', descriptor(NO_SPECIES));
    return outcome;
  }

  function step(fn: Function, args: unknown[], done: boolean): Step {
    const made = objectCreate(null) as unknown as Step;
    made.fn = fn;
    made.args = args;
    made.done = done;
    return made;
  }

  return freeze({ run, step, list });
}
