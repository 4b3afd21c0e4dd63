import { splitTests, type TestCase } from './cases/split.js';
import { compileProgram, instrumentProgram } from './instrument/instrument.js';
import { checkRequests, moduleFacts, namesProgram } from './instrument/modules.js';
import type { Granularity } from './program/cfg.js';
import type { TopLevelBinding } from './program/bindings.js';
import type { ProgramModel } from './program/model.js';
import { InputError, SandboxError } from './errors.js';
import { assertRunnable } from './program/parse.js';
import { assembleTrace } from './sandbox/assemble.js';
import { resolveLimits, type LimitsInput } from './sandbox/limits.js';
import { Sandbox } from './sandbox/sandbox.js';
import type { Outcome, Trace } from './sandbox/trace.js';
import { editDistance } from './text/edit-distance.js';

export interface RunTestsOptions {
  /** The program under test (JavaScript or TypeScript, by `filename`'s extension). */
  code: string;
  /** A test script (split into one case per assertion) or cases already split. */
  tests: string | TestCase[];
  filename?: string;
  testsFilename?: string;
  limits?: LimitsInput;
  /** Record a trace for every case (runs the instrumented program). Default false: plain runs. */
  trace?: boolean;
  /** What a traced step is: a basic block (default) or a single statement (line-level). */
  granularity?: Granularity;
  /** Reuse a sandbox across calls (faster); by default one is made and disposed per call. */
  sandbox?: Sandbox;
  /**
   * The function the tests exercise. When given, the program must define it at top level;
   * if it does not, an InputError names it and the functions the program does define.
   */
  entryPoint?: string;
}

export interface CaseResult {
  case: TestCase;
  outcome: Outcome;
  console: string[];
  durationMs: number;
  /** Of durationMs, the time the program and the test ran (without sandbox setup). */
  executionMs: number;
  trace?: Trace;
}

export interface TestRun {
  cases: CaseResult[];
  passed: number;
  failed: number;
  /** Of a traced run: the model of the program as instrumented (its block ids name the trace's steps). */
  model?: ProgramModel;
}

/** Runs every test case separately against the program, each in a fresh sandbox context. */
export async function runTests(options: RunTestsOptions): Promise<TestRun> {
  const limits = resolveLimits(options.limits);
  const cases = toCases(options.tests, options.testsFilename);
  assertRunnable(options.code, options.filename);
  checkImports(options.code, options.filename, options.tests, options.testsFilename);
  const instrumented = options.trace
    ? instrumentProgram(options.code, { filename: options.filename, granularity: options.granularity })
    : undefined;
  const program = instrumented ?? compileProgram(options.code, { filename: options.filename });
  if (options.entryPoint !== undefined) checkEntryPoint(program.topLevel ?? [], options.filename, options.entryPoint);
  const sandbox = options.sandbox ?? new Sandbox();
  const results: CaseResult[] = [];
  try {
    const runs = await sandbox.runAll(program, cases, limits);
    for (const [i, testCase] of cases.entries()) {
      const run = runs[i]!;
      const { outcome, console, durationMs, executionMs } = run;
      const result: CaseResult = { case: testCase, outcome, console, durationMs, executionMs };
      if (instrumented) result.trace = withModel(assembleTrace(run, testCase.source, instrumented.model.blocks, instrumented.vars), instrumented.model);
      results.push(result);
    }
  } finally {
    if (!options.sandbox) sandbox.dispose();
  }
  const passed = results.filter((r) => r.outcome.kind === 'pass').length;
  return { cases: results, passed, failed: results.length - passed, ...(instrumented ? { model: instrumented.model } : {}) };
}

/** The model rides along with the trace without being part of its JSON (see Trace.model). */
function withModel(trace: Trace, model: ProgramModel): Trace {
  Object.defineProperty(trace, 'model', { value: model, enumerable: false, writable: false, configurable: true });
  return trace;
}

export interface TraceTestOptions {
  code: string;
  /** One assertion, a test script (its case `caseIndex` is traced, default 0) or a split case. */
  test: string | TestCase;
  caseIndex?: number;
  filename?: string;
  /** The test file's name, when `test` is a script (a `.ts` name strips TypeScript). Default: test.js. */
  testsFilename?: string;
  limits?: LimitsInput;
  granularity?: Granularity;
  sandbox?: Sandbox;
  /** As in runTests: the function the test exercises, checked before anything runs. */
  entryPoint?: string;
  /**
   * Re-run the case recording only the steps [from, from + count) (a debugger stepping into the
   * dropped middle of a long run). The returned trace's `window.from` says where its events
   * start. With `expectTotal`, a re-run that does not reach that step count is an error.
   */
  window?: { from: number; count: number; expectTotal?: number };
}

/** Runs one test case on the instrumented program and returns its block-by-block trace. */
export async function traceTest(options: TraceTestOptions): Promise<Trace> {
  const cases =
    typeof options.test === 'string'
      ? splitTests(options.test, { filename: options.testsFilename ?? 'test.js', allowPlainScript: true })
      : [options.test];
  const index = options.caseIndex ?? 0;
  const testCase = cases[index];
  if (!testCase) throw new InputError(`there is no test case ${index}: the test has ${cases.length} case(s)`);
  if (options.window) return traceWindow(options, testCase, options.window);
  const run = await runTests({ ...options, tests: [testCase], trace: true });
  const trace = run.cases[0]?.trace;
  if (!trace) throw new Error('ldb internal: the traced run returned no trace');
  return trace;
}

async function traceWindow(options: TraceTestOptions, testCase: TestCase, window: NonNullable<TraceTestOptions['window']>): Promise<Trace> {
  if (!Number.isInteger(window.from) || window.from < 0 || !Number.isInteger(window.count) || window.count < 1) {
    throw new InputError(`traceTest: window needs a whole 'from' >= 0 and 'count' >= 1, got from ${window.from}, count ${window.count}`);
  }
  assertRunnable(options.code, options.filename);
  const instrumented = instrumentProgram(options.code, { filename: options.filename, granularity: options.granularity });
  const sandbox = options.sandbox ?? new Sandbox();
  try {
    const run = await sandbox.runWindow(instrumented, testCase, resolveLimits(options.limits), window);
    const assembled = assembleTrace(run, testCase.source, instrumented.model.blocks, instrumented.vars);
    if (window.expectTotal !== undefined && assembled.totalEvents !== window.expectTotal) {
      throw new SandboxError(
        `the re-run of the test did not repeat the traced run: it took ${assembled.totalEvents} steps, the trace has ${window.expectTotal}`,
      );
    }
    const dropped = assembled.totalEvents - assembled.events.length;
    return { ...assembled, window: { from: window.from }, truncated: dropped > 0, dropped, droppedAt: 0 };
  } finally {
    if (!options.sandbox) sandbox.dispose();
  }
}

function toCases(tests: string | TestCase[], filename: string | undefined): TestCase[] {
  return typeof tests === 'string' ? splitTests(tests, { filename: filename ?? 'tests.js' }) : tests;
}

/**
 * Before anything runs: the program may import only the modules the sandbox provides; a test
 * script may import those and the program itself.
 */
function checkImports(code: string, filename: string | undefined, tests: string | TestCase[], testsFilename: string | undefined): void {
  const programFile = filename ?? 'program.js';
  checkRequests(moduleFacts(code, filename), programFile, 'the program', () => false);
  if (typeof tests !== 'string') return;
  const testsFile = testsFilename ?? 'tests.js';
  checkRequests(moduleFacts(tests, testsFile), testsFile, 'the test', (source) => namesProgram(source, testsFilename, programFile));
}

/** The program must define `name` at top level (a function, class or variable). */
function checkEntryPoint(bindings: TopLevelBinding[], filename: string | undefined, name: string): void {
  if (bindings.some((binding) => binding.name === name)) return;
  const functions = bindings.filter((binding) => binding.kind === 'function').map((binding) => binding.name);
  const close = bindings.map((b) => b.name).find((candidate) => candidate.toLowerCase() === name.toLowerCase() || editDistance(candidate, name) <= 2);
  const defined = functions.length > 0 ? `the functions it defines are: ${functions.join(', ')}` : 'it defines no top-level functions';
  throw new InputError(
    `${filename ?? 'the program'}: the entry point '${name}' is not defined; ${defined}${close ? ` (did you mean '${close}'?)` : ''}.`,
  );
}

