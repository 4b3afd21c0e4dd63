import { runTests, traceTest, type CaseResult, type TestRun } from '../api.js';
import { splitTests, type TestCase } from '../cases/split.js';
import { ParseError } from '../errors.js';
import type { Model } from '../llm/model.js';
import { resolveLimits, type LimitsInput } from '../sandbox/limits.js';
import { createSeededRandom } from '../sandbox/guest/random.js';
import { Sandbox } from '../sandbox/sandbox.js';
import type { Trace } from '../sandbox/trace.js';
import { Conversation } from './conversation.js';
import { unifiedDiff } from './diff.js';
import { granularityFor } from './format.js';
import {
  emptyTotals,
  sumTotals,
  type DebugEvent,
  type DebugIteration,
  type DebugLevel,
  type DebugResult,
  type StopReason,
  type TokenTotals,
} from './result.js';

export interface DebugOptions {
  /** The program to debug; when absent, the model first writes one from `prompt`. */
  code?: string;
  /** Visible tests: a test script, or cases already split. */
  tests: string | TestCase[];
  /** The task, as the model that wrote the program saw it (docstring, instructions). */
  prompt?: string;
  /** The function the tests call; checked in every patch. */
  entryPoint?: string;
  filename?: string;
  model: Model;
  level?: DebugLevel;
  /** Debugging turns (trace, verify, fix); default 10. */
  maxIterations?: number;
  /** Stop once the model calls have used this many tokens (prompt + completion). */
  tokenBudget?: number;
  /** Tokens of trace text per verification prompt; default 1500. */
  traceBudget?: number;
  /** Which failing case to trace: the first (default), or one chosen by a seeded random draw. */
  pick?: 'first' | { seed: number };
  /**
   * 'baseline' runs the same loop without the debugger: each fix prompt shows the program, the
   * failing test and its error or expected/actual, with no trace and no verdicts (the ablation
   * that shows what the trace adds). Default 'ldb'.
   */
  method?: 'ldb' | 'baseline';
  limits?: LimitsInput;
  signal?: AbortSignal;
  onEvent?: (event: DebugEvent) => void;
  sandbox?: Sandbox;
}

const DEFAULT_ITERATIONS = 10;
const DEFAULT_TRACE_BUDGET = 1500;

/**
 * The LDB loop: run the visible tests; while a case fails, trace it, ask the model to verify
 * each block, ask it for a fixed program, and test that. Returns every iteration and the best
 * program seen (most visible tests passed, earliest on ties), never just the last one.
 */
export async function debug(options: DebugOptions): Promise<DebugResult> {
  const session = new DebugSession(options);
  try {
    return await session.run();
  } finally {
    session.dispose();
  }
}

class DebugSession {
  private readonly sandbox: Sandbox;
  private readonly ownsSandbox: boolean;
  private readonly cases: TestCase[];
  private readonly level: DebugLevel;
  private readonly filename: string;
  private readonly iterations: DebugIteration[] = [];
  private readonly tried = new Set<string>();
  private readonly seedUsage = emptyTotals();
  private best: DebugResult['best'] | undefined;
  private random: () => number;
  private readonly conversation: Conversation;

  constructor(private readonly options: DebugOptions) {
    this.sandbox = options.sandbox ?? new Sandbox();
    this.ownsSandbox = !options.sandbox;
    this.filename = options.filename ?? 'program.js';
    this.cases = typeof options.tests === 'string' ? splitTests(options.tests, { filename: 'tests.js' }) : options.tests;
    this.level = options.level ?? 'block';
    const seed = options.pick && options.pick !== 'first' ? options.pick.seed : 0;
    this.random = createSeededRandom(seed);
    this.conversation = new Conversation({
      model: options.model,
      task: options.prompt,
      filename: this.filename,
      entryPoint: options.entryPoint,
      level: this.level,
      traceBudget: options.traceBudget ?? DEFAULT_TRACE_BUDGET,
      signal: options.signal,
      emit: (event) => this.emit(event),
    });
    resolveLimits(options.limits); // fail early on bad limits
  }

  dispose(): void {
    if (this.ownsSandbox) this.sandbox.dispose();
  }

  async run(): Promise<DebugResult> {
    const seeded = this.options.code === undefined;
    let code = seeded ? await this.conversation.seed(this.seedUsage) : this.options.code!;
    const maxIterations = this.options.maxIterations ?? DEFAULT_ITERATIONS;
    let stopReason: StopReason = 'max-iterations';
    for (let index = 0; ; index++) {
      if (this.options.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      this.tried.add(normalise(code));
      const iteration = await this.test(index, code);
      if (iteration.passed === iteration.total) {
        stopReason = 'solved';
        break;
      }
      if (index >= maxIterations) break;
      if (this.overBudget()) {
        stopReason = 'token-budget';
        break;
      }
      const next = await this.debugOnce(iteration);
      if (next.stop) {
        stopReason = next.stop;
        break;
      }
      code = next.code;
    }
    return this.finish(stopReason, seeded);
  }

  /** One model turn: trace a failing case, verify its blocks, ask for a fix. */
  private async debugOnce(iteration: DebugIteration): Promise<{ code: string; stop?: undefined } | { stop: StopReason }> {
    const failing = this.pickFailing(iteration);
    iteration.failingCase = failing;
    const testCase = this.cases[failing]!;
    const outcome = iteration.cases[failing]!.outcome;
    const baseline = this.options.method === 'baseline';
    // A program that does not parse cannot be traced: the fix prompt gets the syntax error.
    const traceable = !baseline && !(outcome.kind === 'error' && outcome.name === 'SyntaxError');
    const trace = traceable ? await this.trace(iteration, testCase) : undefined;
    const verification = trace ? await this.conversation.verify(iteration, testCase, trace) : null;
    if (this.options.signal?.aborted) return { stop: 'aborted' };
    const fixed = await this.conversation.fix(iteration, testCase, trace?.outcome ?? outcome, baseline ? 'no-debugger' : verification);
    if (fixed === undefined) return { stop: this.options.signal?.aborted ? 'aborted' : 'no-fix' };
    const diff = unifiedDiff(iteration.code, fixed, { fromName: this.filename, toName: `${this.filename} (iteration ${iteration.index + 1})` });
    iteration.patch = { code: fixed, diff };
    this.emit({ type: 'patch', index: iteration.index, code: fixed, diff });
    if (this.tried.has(normalise(fixed))) {
      iteration.notes.push('the model returned a program that was already tried');
      return { stop: 'repeated-program' };
    }
    return { code: fixed };
  }

  private async trace(iteration: DebugIteration, testCase: TestCase): Promise<Trace> {
    const trace = await traceTest({
      code: iteration.code,
      test: testCase,
      filename: this.filename,
      limits: this.options.limits,
      granularity: granularityFor(this.level),
      sandbox: this.sandbox,
    });
    iteration.trace = trace;
    return trace;
  }

  private async test(index: number, code: string): Promise<DebugIteration> {
    this.emit({ type: 'iteration', index, code });
    let run: TestRun;
    const notes: string[] = [];
    try {
      run = await runTests({ code, tests: this.cases, filename: this.filename, limits: this.options.limits, sandbox: this.sandbox });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      // A program that does not parse fails every case; the model gets the syntax error to fix.
      notes.push(error.message);
      run = failedRun(this.cases, error);
    }
    const iteration: DebugIteration = {
      index,
      code,
      passed: run.passed,
      total: run.cases.length,
      cases: run.cases.map((c) => ({ source: c.case.source, outcome: c.outcome })),
      notes,
      usage: emptyTotals(),
    };
    this.iterations.push(iteration);
    this.emit({ type: 'tests', index, passed: run.passed, total: run.cases.length, cases: run.cases });
    if (!this.best || iteration.passed > this.best.passed) {
      this.best = { code, passed: iteration.passed, total: iteration.total, iteration: index };
    }
    return iteration;
  }

  private pickFailing(iteration: DebugIteration): number {
    const failing = iteration.cases.map((c, i) => (c.outcome.kind === 'pass' ? -1 : i)).filter((i) => i >= 0);
    if (this.options.pick === undefined || this.options.pick === 'first') return failing[0]!;
    return failing[Math.floor(this.random() * failing.length)]!;
  }

  private overBudget(): boolean {
    const budget = this.options.tokenBudget;
    if (budget === undefined) return false;
    const used = this.totals();
    return used.promptTokens + used.completionTokens >= budget;
  }

  private totals(): TokenTotals {
    return sumTotals([this.seedUsage, ...this.iterations.map((i) => i.usage)]);
  }

  private finish(stopReason: StopReason, seeded: boolean): DebugResult {
    const result: DebugResult = {
      iterations: this.iterations,
      best: this.best!,
      solved: stopReason === 'solved',
      stopReason,
      seeded,
      usage: this.totals(),
    };
    this.emit({ type: 'done', result });
    return result;
  }

  private emit(event: DebugEvent): void {
    this.options.onEvent?.(event);
  }
}

function failedRun(cases: TestCase[], error: ParseError): TestRun {
  const results: CaseResult[] = cases.map((c) => ({
    case: c,
    outcome: { kind: 'error', name: 'SyntaxError', message: `${error.reason}\n${error.codeFrame}`, loc: error.loc },
    console: [],
    durationMs: 0,
    executionMs: 0,
  }));
  return { cases: results, passed: 0, failed: results.length };
}

/** Programs that differ only in whitespace are the same attempt. */
function normalise(code: string): string {
  return code.replace(/\s+/g, ' ').trim();
}
