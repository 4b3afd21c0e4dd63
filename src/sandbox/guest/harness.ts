/**
 * The in-sandbox test harness: captured console, `require` of the assert module only, the
 * comparison helper that rewritten console.assert calls use, and the case runner that turns
 * whatever a test does into a report. Self-contained like everything in guest/.
 */

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

interface AssertLike {
  (value: unknown, message?: unknown): void;
  AssertionError: new (...args: never[]) => Error;
  strict: unknown;
}

export interface Harness {
  console: Record<string, (...args: unknown[]) => void>;
  require(name: unknown): unknown;
  runCase(
    test: (
      cmp: (left: unknown, right: unknown, op: string, side?: string) => boolean,
      console: Harness['console'],
      require: (name: unknown) => unknown,
      assert: unknown,
    ) => unknown,
  ): unknown;
  report(): string;
  consoleLines(): string;
}

export function createHarness(
  render: (value: unknown, caps: HarnessConfig['caps']) => string,
  assert: AssertLike,
  config: HarnessConfig,
): Harness {
  const stringify = JSON.stringify;
  const getOwn = Object.getOwnPropertyDescriptor;
  const getProto = Object.getPrototypeOf;
  const NativePromise = Promise;
  const then = Promise.prototype.then;
  const apply = Reflect.apply;
  const hasOwn = Object.hasOwn;
  const AssertionError = assert.AssertionError;
  const ErrorProto = Error.prototype;
  const lines: string[] = [];
  let consoleChars = 0;
  let consoleDropped = 0;
  let report: CaseReport = { status: 'error', name: 'Error', message: 'the test did not run' };
  let assertFailure: CaseReport | null = null;
  let lastComparison: { expected: string; actual: string } | null = null;

  function dataProperty(target: unknown, key: string): unknown {
    for (let o = target; o !== null && (typeof o === 'object' || typeof o === 'function'); o = getProto(o)) {
      const d = getOwn(o, key);
      if (d) return 'value' in d ? d.value : undefined;
    }
    return undefined;
  }

  function isError(value: unknown): boolean {
    for (let o = value; o !== null && typeof o === 'object'; o = getProto(o)) if (o === ErrorProto) return true;
    return false;
  }

  function format(args: unknown[]): string {
    let text = '';
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      text += (i > 0 ? ' ' : '') + (typeof arg === 'string' ? arg : render(arg, config.caps));
    }
    return text;
  }

  function print(text: string): void {
    if (lines.length >= config.maxConsoleLines || consoleChars + text.length > config.maxConsoleChars) {
      consoleDropped++;
      return;
    }
    consoleChars += text.length;
    lines[lines.length] = text;
  }

  const log = (...args: unknown[]) => print(format(args));
  const capturedConsole: Harness['console'] = {
    log,
    info: log,
    debug: log,
    warn: log,
    error: log,
    trace: log,
    dir: (value: unknown) => print(render(value, config.caps)),
    table: log,
    assert(condition: unknown, ...args: unknown[]) {
      if (condition) return;
      const message = args.length > 0 ? format(args) : '';
      print(message ? `Assertion failed: ${message}` : 'Assertion failed');
      if (assertFailure === null) {
        assertFailure = { status: 'fail', message: message || 'console.assert failed' };
        if (lastComparison !== null) {
          assertFailure.expected = lastComparison.expected;
          assertFailure.actual = lastComparison.actual;
        }
      }
    },
  };

  function cmp(left: unknown, right: unknown, op: string, side?: string): boolean {
    let ok: boolean;
    if (op === '===') ok = left === right;
    else if (op === '==') ok = left == right;
    else if (op === '!==') ok = left !== right;
    else if (op === '!=') ok = left != right;
    else ok = !!left;
    if (ok) lastComparison = null;
    else if (op === 'truthy') lastComparison = { expected: 'a truthy value', actual: render(left, config.caps) };
    else {
      const actualIsLeft = side !== 'right';
      const actual = render(actualIsLeft ? left : right, config.caps);
      const other = render(actualIsLeft ? right : left, config.caps);
      lastComparison = { expected: op === '!==' || op === '!=' ? `not ${other}` : other, actual };
    }
    return ok;
  }

  function failWith(error: unknown): void {
    if (error instanceof AssertionError) {
      report = {
        status: 'fail',
        message: String(dataProperty(error, 'message') ?? 'assertion failed'),
        expected: dataProperty(error, 'expectedText') as string | undefined,
        actual: dataProperty(error, 'actualText') as string | undefined,
      };
      return;
    }
    if (isError(error)) {
      const name = dataProperty(error, 'name');
      const message = dataProperty(error, 'message');
      let stack: unknown;
      try {
        stack = dataProperty(error, 'stack');
      } catch {
        stack = undefined;
      }
      report = {
        status: 'error',
        name: typeof name === 'string' ? name : 'Error',
        message: typeof message === 'string' ? message : '',
        stack: typeof stack === 'string' ? stack : undefined,
      };
      return;
    }
    report = { status: 'error', name: 'Uncaught', message: `a non-Error value was thrown: ${render(error, config.caps)}` };
  }

  function settle(): void {
    report = assertFailure ?? { status: 'pass' };
  }

  const modules: Record<string, unknown> = {
    assert,
    'node:assert': assert,
    'assert/strict': assert.strict,
    'node:assert/strict': assert.strict,
  };

  function requireModule(name: unknown): unknown {
    if (typeof name === 'string' && hasOwn(modules, name)) return modules[name];
    const error = new Error(
      `module not available in the sandbox: '${String(name)}' (ldb provides only 'assert' and 'node:assert'; no files, network or npm packages)`,
    );
    (error as Error & { code?: string }).code = 'MODULE_NOT_FOUND';
    throw error;
  }

  return {
    console: capturedConsole,
    require: requireModule,
    runCase(test) {
      try {
        const result = test(cmp, capturedConsole, requireModule, assert);
        if (result instanceof NativePromise) {
          return apply(then, result, [settle, failWith]);
        }
        settle();
      } catch (error) {
        failWith(error);
      }
      return undefined;
    },
    report() {
      return stringify(report);
    },
    consoleLines() {
      const all = lines.slice();
      if (consoleDropped > 0) all[all.length] = `... ${consoleDropped} more console lines not kept`;
      return stringify(all);
    },
  };
}
