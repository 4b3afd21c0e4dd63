import { runTests, type CaseResult, type TestRun } from '../api.js';
import { splitTests, type TestCase } from '../cases/split.js';
import { ParseError } from '../errors.js';
import type { Model } from '../llm/model.js';
import { resolveLimits, type LimitsInput } from '../sandbox/limits.js';
import { createSeededRandom } from '../sandbox/guest/random.js';
import { Sandbox } from '../sandbox/sandbox.js';
import type { Trace } from '../sandbox/trace.js';
import type { Block } from '../program/model.js';
import { parseProgram } from '../program/program.js';
import type { Outcome } from '../sandbox/trace.js';
import { Conversation, OverBudget, type Exchange, type Subject, type Verification } from './conversation.js';
import { calledFunctions } from './extract.js';
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
  /**
   * Which failing case to trace: the one with the fewest steps (default: short runs make the
   * clearest traces), the first, one chosen by a seeded random draw, or a given case (its index in
   * the cases) while it fails.
   */
  pick?: 'shortest' | 'first' | { seed: number } | { case: number };
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
/** The most failing cases traced to find the shortest run. */
const MAX_TRACED = 8;
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
    const seed = typeof options.pick === 'object' && 'seed' in options.pick ? options.pick.seed : 0;
    this.random = createSeededRandom(seed);
    this.conversation = new Conversation({
      model: options.model,
      task: options.prompt,
      filename: this.filename,
      entryPoint: options.entryPoint,
      level: this.level,
      traceBudget: options.traceBudget ?? DEFAULT_TRACE_BUDGET,
      tokensLeft: () => (options.tokenBudget === undefined ? undefined : options.tokenBudget - this.spent()),
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
    // Without an entry point, the functions the tests call are what every patch must keep.
    if (!this.options.entryPoint) this.conversation.require(calledFunctions(code, this.cases.map((c) => c.source), this.filename));
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
      const next = await this.debugOnceWithin(iteration);
      if (next.stop) {
        stopReason = next.stop;
        break;
      }
      code = next.code;
    }
    return this.finish(stopReason, seeded);
  }

  /** One model turn: trace a failing case, verify its blocks, ask for a fix. The iteration is built here alone. */
  private async debugOnce(iteration: DebugIteration): Promise<{ code: string; stop?: undefined } | { stop: StopReason }> {
    const outcomeOf = (i: number): Outcome => iteration.cases[i]!.outcome;
    // A program that does not parse cannot be traced: the fix prompt gets the syntax error.
    const unparsable = iteration.cases.every((c) => c.outcome.kind === 'error' && c.outcome.name === 'SyntaxError');
    const baseline = this.options.method === 'baseline';
    const chosen = unparsable || baseline ? { index: this.firstFailing(iteration) } : await this.chooseFailing(iteration);
    iteration.failingCase = chosen.index;
    const subject: Subject = { index: iteration.index, code: iteration.code, blocks: this.blocksOf(iteration.code), testCase: this.cases[chosen.index]! };
    let verification: Verification | null = null;
    if (chosen.trace) {
      iteration.trace = chosen.trace;
      const compact = this.conversation.compact(subject, chosen.trace);
      this.emit({ type: 'trace', index: iteration.index, failingCase: chosen.index, trace: chosen.trace, promptTokens: compact.tokens, text: compact.text });
      verification = await this.conversation.verify(subject, chosen.trace, compact);
      this.record(iteration, verification);
      iteration.verdicts = verification.verdicts;
      if (verification.missing.length > 0) iteration.missing = verification.missing;
      this.emit({ type: 'verdicts', index: iteration.index, verdicts: verification.verdicts, missing: verification.missing, notes: iteration.notes });
    }
    if (this.options.signal?.aborted) return { stop: 'aborted' };
    const fix = await this.conversation.fix(subject, chosen.trace?.outcome ?? outcomeOf(chosen.index), baseline ? 'no-debugger' : verification);
    this.record(iteration, fix);
    if (fix.code === undefined) return { stop: this.options.signal?.aborted ? 'aborted' : 'no-fix' };
    const diff = unifiedDiff(iteration.code, fix.code, { fromName: this.filename, toName: `${this.filename} (iteration ${iteration.index + 1})` });
    iteration.patch = { code: fix.code, diff };
    this.emit({ type: 'patch', index: iteration.index, code: fix.code, diff });
    if (this.tried.has(normalise(fix.code))) {
      iteration.notes.push('the model returned a program that was already tried');
      return { stop: 'repeated-program' };
    }
    return { code: fix.code };
  }

  /** debugOnce, stopped before a model call whose prompt alone costs more than the token budget has left. */
  private async debugOnceWithin(iteration: DebugIteration): Promise<{ code: string; stop?: undefined } | { stop: StopReason }> {
    try {
      return await this.debugOnce(iteration);
    } catch (error) {
      if (!(error instanceof OverBudget)) throw error;
      this.record(iteration, error.exchange);
      iteration.notes.push(error.message);
      return { stop: 'token-budget' };
    }
  }

  private record(iteration: DebugIteration, exchange: Exchange): void {
    iteration.notes.push(...exchange.notes);
    iteration.usage = sumTotals([iteration.usage, exchange.usage]);
  }

  private blocksOf(code: string): Block[] {
    try {
      return parseProgram(code, { filename: this.filename, granularity: granularityFor(this.level) }).blocks;
    } catch {
      return [];
    }
  }

  /**
   * The failing case to trace, with its trace: by default the one whose run has the fewest steps
   * (the failing cases are traced together, at most MAX_TRACED of them, in one sandbox call).
   */
  private async chooseFailing(iteration: DebugIteration): Promise<{ index: number; trace?: Trace }> {
    const failing = iteration.cases.flatMap((c, i) => (c.outcome.kind === 'pass' ? [] : [i]));
    const pick = this.options.pick ?? 'shortest';
    let candidates = failing.slice(0, 1);
    if (pick === 'shortest') candidates = failing.slice(0, MAX_TRACED);
    else if (typeof pick === 'object' && 'seed' in pick) candidates = [failing[Math.floor(this.random() * failing.length)]!];
    else if (typeof pick === 'object' && failing.includes(pick.case)) candidates = [pick.case];
    const run = await runTests({
      code: iteration.code,
      tests: candidates.map((i) => this.cases[i]!),
      filename: this.filename,
      limits: this.options.limits,
      granularity: granularityFor(this.level),
      sandbox: this.sandbox,
      trace: true,
    });
    let best = 0;
    run.cases.forEach((c, k) => {
      if ((c.trace?.totalEvents ?? Infinity) < (run.cases[best]!.trace?.totalEvents ?? Infinity)) best = k;
    });
    return { index: candidates[best]!, trace: run.cases[best]?.trace };
  }

  private firstFailing(iteration: DebugIteration): number {
    return iteration.cases.findIndex((c) => c.outcome.kind !== 'pass');
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

  private overBudget(): boolean {
    const budget = this.options.tokenBudget;
    return budget !== undefined && this.spent() >= budget;
  }

  /** Tokens used so far, the iteration in progress included. */
  private spent(): number {
    const used = this.totals();
    return used.promptTokens + used.completionTokens;
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
