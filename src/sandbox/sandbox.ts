import type { TestCase } from '../cases/split.js';
import { COMPARE_HELPER } from '../cases/split.js';
import type { CompiledProgram, InstrumentedProgram } from '../instrument/instrument.js';
import type { BootstrapConfig } from './bootstrap.js';
import type { CaseReport } from './guest/harness.js';
import type { WireTrace } from './guest/tracer.js';
import { headAndTail, type Limits } from './limits.js';
import { locateError, locateInTestFile, mapStack } from './locate.js';
import { processCounts, SandboxProcess, type RunResult } from './process.js';
import type { RunRequest, RunResponse, ServerStats } from './server.js';
import type { Outcome } from './trace.js';

/** What one test case did in the sandbox, before the wire events are turned into a Trace. */
export interface CaseRun {
  outcome: Outcome;
  wire: WireTrace | null;
  console: string[];
  durationMs: number;
  /** Of durationMs, the time spent running the program and the test (not setting up the context). */
  executionMs: number;
}

/** For soak tests and diagnostics: the sandbox server's process and isolates. */
export interface SandboxStats {
  server: ServerStats | null;
  processes: { spawned: number; alive: number; idle: number };
  disposeCalls: number;
}

/** Lines of the case code before the body (see runOnce). */
const CASE_HEADER_LINES = 1;

/** Global the tracer waits on between the bootstrap and the script that binds it (never seen by user code). */
const TRACER_SLOT = '__ldbSlot';

let disposeCalls = 0;
let nextProgramKey = 1;
const programKeys = new WeakMap<CompiledProgram, number>();

/**
 * Runs test cases, each in a fresh isolated-vm context: the program is loaded, then the single
 * assertion runs. The isolates live in a sandbox server, a child process (see process.ts and
 * server.ts): a memory blow-up that V8 cannot survive ends that process, never this one.
 * Runs on one Sandbox are queued (one at a time); use several Sandboxes to run in parallel.
 */
export class Sandbox {
  private server: SandboxProcess | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Runs one case. A traced run longer than the event cap runs twice: the first pass renders
   * the first events and counts the rest (cheaply); the second, identical (Math.random is
   * seeded), renders just the last events. Rendering every step of a long loop would cost
   * far more than running it.
   */
  run(program: CompiledProgram | InstrumentedProgram, testCase: TestCase, limits: Limits): Promise<CaseRun> {
    const result = this.queue.then(() => this.runTwice(program, testCase, limits));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs every case of one program, in order: all of them go to the sandbox server in one
   * message and their results stream back (see SandboxProcess.runMany); long traced runs then get
   * their second pass one by one, as in `run`.
   */
  runAll(program: CompiledProgram | InstrumentedProgram, cases: readonly TestCase[], limits: Limits): Promise<CaseRun[]> {
    const result = this.queue.then(async () => {
      const firsts = await this.runBatch(program, cases, limits);
      const runs: CaseRun[] = [];
      for (let i = 0; i < cases.length; i++) runs.push(await this.secondPass(program, cases[i]!, limits, firsts[i]!));
      return runs;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs one case again, rendering only the steps [from, from + count): how a debugger steps
   * into the middle of a run longer than the event cap. The run is deterministic (Math.random is
   * seeded), so it repeats the traced one; the caller checks the step count to be sure.
   */
  runWindow(program: InstrumentedProgram, testCase: TestCase, limits: Limits, window: { from: number; count: number }): Promise<CaseRun> {
    const result = this.queue.then(() => this.runOnce(program, testCase, limits, window.from, window));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Gives the sandbox server back (its isolate is disposed); a later run starts or borrows another. */
  dispose(): void {
    disposeCalls++;
    this.server?.release();
    this.server = undefined;
  }

  async stats(): Promise<SandboxStats> {
    const server = this.server && !this.server.dead ? await this.server.stats() : null;
    return { server, processes: processCounts(), disposeCalls };
  }

  private async runTwice(program: CompiledProgram | InstrumentedProgram, testCase: TestCase, limits: Limits): Promise<CaseRun> {
    const first = await this.runOnce(program, testCase, limits, -1);
    return this.secondPass(program, testCase, limits, first);
  }

  private async secondPass(program: CompiledProgram | InstrumentedProgram, testCase: TestCase, limits: Limits, first: CaseRun): Promise<CaseRun> {
    const wire = first.wire;
    const finished = first.outcome.kind !== 'timeout' && first.outcome.kind !== 'memory';
    if (!wire || !wire.lateTail || !finished || wire.total <= wire.head.length) return first;
    // Start rendering a little early: a stack overflow may come sooner when rendering.
    const tailFrom = Math.max(wire.head.length, wire.total - 2 * headAndTail(limits.maxEvents).tailEvents);
    const second = await this.runOnce(program, testCase, limits, tailFrom);
    if (!second.wire || second.outcome.kind !== first.outcome.kind) return first;
    const durationMs = first.durationMs + second.durationMs;
    const executionMs = first.executionMs + second.executionMs;
    return { ...first, wire: { ...second.wire, head: wire.head }, durationMs, executionMs };
  }

  private async runOnce(
    program: CompiledProgram | InstrumentedProgram,
    testCase: TestCase,
    limits: Limits,
    tailFrom: number,
    window?: { from: number; count: number },
  ): Promise<CaseRun> {
    const [run] = await this.runBatch(program, [testCase], limits, tailFrom, window);
    return run!;
  }

  /**
   * Runs the cases on this Sandbox's server in one batch. If the server ends part way (a fatal
   * out-of-memory, a kill for time), the case it was running gets that outcome and the cases it
   * had not started go to a new server.
   */
  private async runBatch(
    program: CompiledProgram | InstrumentedProgram,
    cases: readonly TestCase[],
    limits: Limits,
    tailFrom = -1,
    window?: { from: number; count: number },
  ): Promise<CaseRun[]> {
    const requests = cases.map((testCase) => requestFor(program, testCase, limits, tailFrom, window));
    const runs: CaseRun[] = [];
    let remaining = cases.map((_, i) => i);
    while (remaining.length > 0) {
      const server = (this.server ??= SandboxProcess.acquire());
      let results: Promise<RunResult>[];
      try {
        results = await server.runMany(remaining.map((i) => requests[i]!));
      } finally {
        if (server.dead) this.server = undefined;
      }
      const again: number[] = [];
      for (let k = 0; k < results.length; k++) {
        const response = await results[k]!;
        if (response.end === 'unstarted') again.push(remaining[k]!);
        else runs[remaining[k]!] = caseRunOf(response, program, limits, cases[remaining[k]!]!);
      }
      if (this.server?.dead) this.server = undefined;
      remaining = again;
    }
    return runs;
  }
}

function requestFor(
  program: CompiledProgram | InstrumentedProgram,
  testCase: TestCase,
  limits: Limits,
  tailFrom: number,
  window?: { from: number; count: number },
): RunRequest {
  const names = 'names' in program ? program.names : undefined;
  // A window keeps only the steps [from, from + count): no head, a tail that stops at its end.
  const kept = window ? { headEvents: 0, tailEvents: Math.max(1, window.count), tailUntil: window.from + window.count } : headAndTail(limits.maxEvents);
  const config: BootstrapConfig = {
    tracer: { vars: 'vars' in program ? program.vars : [], caps: limits.render, ...kept, tailFrom, ringAfterMs: limits.timeMs / 2 },
    harness: { caps: limits.render, maxConsoleLines: limits.maxConsoleLines, maxConsoleChars: 100_000 },
    seed: limits.seed,
    ...(program.module ? { programModule: program.module } : {}),
  };
  if (names) {
    config.tracerName = names.runtime;
    config.frameName = names.frame;
    config.tracerSlot = TRACER_SLOT;
  }
  // The case sees the harness's console, require and assert even if the program replaced the
  // globals; the inner block lets a test declare its own `const assert = require(...)`.
  // One header line (CASE_HEADER_LINES) before the body.
  const caseCode =
    `(${testCase.async ? 'async ' : ''}function (${COMPARE_HELPER}, console, require, assert) {{\n` + `${testCase.body}\n}})`;
  return {
    programKey: programKey(program),
    code: program.code,
    filename: program.filename,
    caseCode,
    caseFilename: testCase.file ?? 'tests.js',
    async: testCase.async,
    config: JSON.stringify(config),
    ...(names ? { tracerName: names.runtime, tracerSlot: TRACER_SLOT } : {}),
    timeMs: limits.timeMs,
    memoryMb: limits.memoryMb,
  };
}

function caseRunOf(response: RunResult, program: CompiledProgram, limits: Limits, testCase: TestCase): CaseRun {
  return {
    outcome: outcomeOf(response, program, limits, testCase),
    wire: parseJson<WireTrace>(response.trace ?? response.checkpoint),
    console: parseJson<string[]>(response.console) ?? [],
    durationMs: response.durationMs,
    executionMs: response.executionMs,
  };
}

function programKey(program: CompiledProgram): number {
  let key = programKeys.get(program);
  if (key === undefined) {
    key = nextProgramKey++;
    programKeys.set(program, key);
  }
  return key;
}

function outcomeOf(response: RunResponse, program: CompiledProgram, limits: Limits, testCase: TestCase): Outcome {
  switch (response.end) {
    case 'timeout':
      return { kind: 'timeout', limitMs: limits.timeMs };
    case 'stuck':
      return { kind: 'timeout', limitMs: limits.timeMs, reason: 'the test waits for a promise that nothing can settle (no timers are left)' };
    case 'memory':
      return { kind: 'memory', limitMb: limits.memoryMb };
    case 'unstarted':
      return { kind: 'error', name: 'SandboxError', message: 'the sandbox process ended before this case ran' };
    case 'thrown': {
      const thrown = response.thrown ?? { name: 'Error', message: 'unknown error' };
      return {
        kind: 'error',
        name: thrown.name,
        message: thrown.message,
        loc: locateError(thrown.stack, program.filename, program.map),
        stack: mapStack(thrown.stack, program.filename, program.map),
      };
    }
    case 'report': {
      const report = parseJson<CaseReport>(response.report ?? null);
      return report ? reportOutcome(report, program, testCase) : { kind: 'error', name: 'Error', message: 'the test case left no report' };
    }
  }
}

function reportOutcome(report: CaseReport, program: CompiledProgram, testCase: TestCase): Outcome {
  switch (report.status) {
    case 'pass':
      return { kind: 'pass' };
    case 'fail': {
      const outcome: Outcome = { kind: 'fail', message: report.message ?? 'assertion failed' };
      if (report.expected !== undefined) outcome.expected = report.expected;
      if (report.actual !== undefined) outcome.actual = report.actual;
      const loc = testCase.linesMatchFile ? locateInTestFile(report.stack, testCase.file ?? 'tests.js', CASE_HEADER_LINES) : undefined;
      if (loc) outcome.loc = loc;
      return outcome;
    }
    case 'error':
      return {
        kind: 'error',
        name: report.name ?? 'Error',
        message: report.message ?? '',
        loc: locateError(report.stack, program.filename, program.map),
        stack: mapStack(report.stack, program.filename, program.map),
      };
  }
}

function parseJson<T>(json: string | null): T | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}
