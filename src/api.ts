import { splitTests, type TestCase } from './cases/split.js';
import { compileProgram, instrumentProgram } from './instrument/instrument.js';
import type { Granularity } from './program/cfg.js';
import { InputError } from './errors.js';
import { assembleTrace } from './sandbox/assemble.js';
import { resolveLimits, type LimitsInput } from './sandbox/limits.js';
import { Sandbox } from './sandbox/sandbox.js';
import type { Outcome, Trace } from './sandbox/trace.js';

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
}

/** Runs every test case separately against the program, each in a fresh sandbox context. */
export async function runTests(options: RunTestsOptions): Promise<TestRun> {
  const limits = resolveLimits(options.limits);
  const cases = toCases(options.tests, options.testsFilename);
  const instrumented = options.trace
    ? instrumentProgram(options.code, { filename: options.filename, granularity: options.granularity })
    : undefined;
  const program = instrumented ?? compileProgram(options.code, { filename: options.filename });
  const sandbox = options.sandbox ?? new Sandbox();
  const results: CaseResult[] = [];
  try {
    for (const testCase of cases) {
      const run = await sandbox.run(program, testCase, limits);
      const { outcome, console, durationMs, executionMs } = run;
      const result: CaseResult = { case: testCase, outcome, console, durationMs, executionMs };
      if (instrumented) result.trace = assembleTrace(run, testCase.source, instrumented.model.blocks, instrumented.vars);
      results.push(result);
    }
  } finally {
    if (!options.sandbox) sandbox.dispose();
  }
  const passed = results.filter((r) => r.outcome.kind === 'pass').length;
  return { cases: results, passed, failed: results.length - passed };
}

export interface TraceTestOptions {
  code: string;
  /** One assertion, a test script (its case `caseIndex` is traced, default 0) or a split case. */
  test: string | TestCase;
  caseIndex?: number;
  filename?: string;
  limits?: LimitsInput;
  granularity?: Granularity;
  sandbox?: Sandbox;
}

/** Runs one test case on the instrumented program and returns its block-by-block trace. */
export async function traceTest(options: TraceTestOptions): Promise<Trace> {
  const cases =
    typeof options.test === 'string' ? splitTests(options.test, { filename: 'test.js', allowPlainScript: true }) : [options.test];
  const index = options.caseIndex ?? 0;
  const testCase = cases[index];
  if (!testCase) throw new InputError(`there is no test case ${index}: the test has ${cases.length} case(s)`);
  const run = await runTests({ ...options, tests: [testCase], trace: true });
  const trace = run.cases[0]?.trace;
  if (!trace) throw new Error('ldb internal: the traced run returned no trace');
  return trace;
}

function toCases(tests: string | TestCase[], filename: string | undefined): TestCase[] {
  return typeof tests === 'string' ? splitTests(tests, { filename: filename ?? 'tests.js' }) : tests;
}
