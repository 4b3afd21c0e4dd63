import { randomBytes } from 'node:crypto';
import ivm from 'isolated-vm';
import type { TestCase } from '../cases/split.js';
import { COMPARE_HELPER } from '../cases/split.js';
import { SandboxError } from '../errors.js';
import type { CompiledProgram, InstrumentedProgram } from '../instrument/instrument.js';
import { bootstrapSource, type BootstrapConfig } from './bootstrap.js';
import type { CaseReport } from './guest/harness.js';
import type { WireTrace } from './guest/tracer.js';
import { headAndTail, type Limits } from './limits.js';
import { locateError, mapStack } from './locate.js';
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

const TIMED_OUT = 'Script execution timed out.';

/**
 * Owns one isolate and runs test cases in it, each in a fresh context: the program is loaded,
 * then the single assertion runs. The isolate is replaced when a run blows its memory limit.
 * Not safe for concurrent runs: use one Sandbox per concurrent worker.
 */
export class Sandbox {
  private isolate: ivm.Isolate | undefined;
  private isolateMemoryMb = 0;
  private scripts = new WeakMap<CompiledProgram, ivm.Script>();
  private bootstrap: ivm.Script | undefined;

  /**
   * Runs one case. A traced run longer than the event cap runs twice: the first pass renders
   * the first events and counts the rest (cheaply); the second, identical (Math.random is
   * seeded), renders just the last events. Rendering every step of a long loop would cost
   * far more than running it.
   */
  async run(program: CompiledProgram | InstrumentedProgram, testCase: TestCase, limits: Limits): Promise<CaseRun> {
    const first = await this.runOnce(program, testCase, limits, -1);
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
  ): Promise<CaseRun> {
    const started = performance.now();
    const isolate = this.isolateFor(limits.memoryMb);
    const context = await isolate.createContext();
    const tag = randomBytes(4).toString('hex');
    const harnessName = `__ldbH$${tag}`;
    const tracerName = 'names' in program ? program.names.runtime : undefined;
    let checkpoint: WireTrace | null = null;
    let outcome: Outcome;
    let executionStarted = 0;
    const remaining = () => Math.max(1, Math.round(limits.timeMs - (performance.now() - started)));
    try {
      const config: BootstrapConfig = {
        tracerName,
        tracer: { vars: 'vars' in program ? program.vars : [], caps: limits.render, ...headAndTail(limits.maxEvents), tailFrom, ringAfterMs: limits.timeMs / 2 },
        harnessName,
        harness: { caps: limits.render, maxConsoleLines: limits.maxConsoleLines, maxConsoleChars: 100_000 },
        seed: limits.seed,
      };
      const onCheckpoint = new ivm.Callback((json: string) => {
        checkpoint = JSON.parse(json) as WireTrace;
      });
      const prepare = await (await this.bootstrapScript(isolate)).run(context, { reference: true });
      await prepare.apply(undefined, [JSON.stringify(config), onCheckpoint], { timeout: 5000 });
      executionStarted = performance.now();
      outcome = await this.execute(isolate, context, program, testCase, harnessName, remaining, limits);
    } catch (error) {
      outcome = this.failure(error, program, limits);
    }
    const executionMs = executionStarted > 0 ? performance.now() - executionStarted : 0;
    const disposed = isolate.isDisposed;
    const wire = disposed ? checkpoint : readTrace(context, tracerName);
    const consoleLines = disposed ? [] : readJson<string[]>(context, `${harnessName}.consoleLines()`) ?? [];
    if (!disposed) context.release();
    return { outcome, wire, console: consoleLines, durationMs: performance.now() - started, executionMs };
  }

  dispose(): void {
    if (this.isolate && !this.isolate.isDisposed) this.isolate.dispose();
    this.isolate = undefined;
  }

  private async execute(
    isolate: ivm.Isolate,
    context: ivm.Context,
    program: CompiledProgram,
    testCase: TestCase,
    harnessName: string,
    remaining: () => number,
    limits: Limits,
  ): Promise<Outcome> {
    const script = await this.compiled(isolate, program);
    await script.run(context, { timeout: remaining() });
    // The case sees the harness's console, require and assert even if the program replaced the
    // globals; the inner block lets a test declare its own `const assert = require(...)`.
    const caseScript =
      `${harnessName}.runCase(${testCase.async ? 'async ' : ''}function (${COMPARE_HELPER}, console, require, assert) {{\n` +
      `${testCase.body}\n}})`;
    const running = context.eval(caseScript, {
      timeout: remaining(),
      filename: testCase.file ?? 'tests.js',
      promise: testCase.async,
    });
    running.catch(() => undefined); // if the deadline wins, the isolate is disposed and this rejects
    const settled = await withDeadline(running, remaining());
    if (settled === 'deadline') {
      // A promise that never settles, or a loop in a continuation the script timeout cannot see.
      isolate.dispose();
      return { kind: 'timeout', limitMs: limits.timeMs };
    }
    const report = readJson<CaseReport>(context, `${harnessName}.report()`);
    return report ? outcomeOf(report, program) : { kind: 'error', name: 'Error', message: 'the test case left no report' };
  }

  private failure(error: unknown, program: CompiledProgram, limits: Limits): Outcome {
    const message = error instanceof Error ? error.message : String(error);
    if (message === TIMED_OUT) return { kind: 'timeout', limitMs: limits.timeMs };
    if (this.isolate?.isDisposed || /memory limit/i.test(message)) {
      this.dispose();
      return { kind: 'memory', limitMb: limits.memoryMb };
    }
    if (!(error instanceof Error)) return { kind: 'error', name: 'Uncaught', message };
    const name = error.name === 'Error' && error.constructor !== Error ? error.constructor.name : error.name;
    return {
      kind: 'error',
      name,
      message,
      loc: locateError(error.stack, program.filename, program.map),
      stack: mapStack(error.stack, program.filename, program.map),
    };
  }

  private isolateFor(memoryMb: number): ivm.Isolate {
    if (this.isolate && !this.isolate.isDisposed && this.isolateMemoryMb === memoryMb) return this.isolate;
    this.dispose();
    try {
      this.isolate = new ivm.Isolate({ memoryLimit: memoryMb });
    } catch (error) {
      throw new SandboxError(`could not start the sandbox (isolated-vm): ${(error as Error).message}`);
    }
    this.isolateMemoryMb = memoryMb;
    this.scripts = new WeakMap();
    this.bootstrap = undefined;
    return this.isolate;
  }

  private async bootstrapScript(isolate: ivm.Isolate): Promise<ivm.Script> {
    this.bootstrap ??= await isolate.compileScript(bootstrapSource(), { filename: 'ldb-bootstrap.js' });
    return this.bootstrap;
  }

  private async compiled(isolate: ivm.Isolate, program: CompiledProgram): Promise<ivm.Script> {
    let script = this.scripts.get(program);
    if (!script) {
      script = await isolate.compileScript(program.code, { filename: program.filename });
      this.scripts.set(program, script);
    }
    return script;
  }
}

function outcomeOf(report: CaseReport, program: CompiledProgram): Outcome {
  switch (report.status) {
    case 'pass':
      return { kind: 'pass' };
    case 'fail':
      return { kind: 'fail', message: report.message ?? 'assertion failed', expected: report.expected, actual: report.actual };
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

function readTrace(context: ivm.Context, tracerName: string | undefined): WireTrace | null {
  if (!tracerName) return null;
  return readJson<WireTrace>(context, `${tracerName}.finishTop(), ${tracerName}.collect()`);
}

function readJson<T>(context: ivm.Context, expression: string): T | null {
  try {
    const json: unknown = context.evalSync(expression, { timeout: 2000 });
    return typeof json === 'string' ? (JSON.parse(json) as T) : null;
  } catch {
    return null;
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | 'deadline'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), ms + 50);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
