import { runTests, traceTest, type CaseResult, type TestRun } from '../api.js';
import { splitTests, type TestCase } from '../cases/split.js';
import { InputError, ModelError, ParseError } from '../errors.js';
import type { ChatMessage, Completion, Model } from '../llm/model.js';
import { resolveLimits, type LimitsInput } from '../sandbox/limits.js';
import { Sandbox } from '../sandbox/sandbox.js';
import type { Outcome, Trace } from '../sandbox/trace.js';
import type { VerdictTarget } from './compact.js';
import { unifiedDiff } from './diff.js';
import { extractProgram } from './extract.js';
import { formatTrace, granularityFor } from './format.js';
import * as prompts from './prompts.js';
import {
  addUsage,
  emptyTotals,
  sumTotals,
  type DebugEvent,
  type DebugIteration,
  type DebugLevel,
  type DebugResult,
  type StopReason,
  type TokenTotals,
  type Verdict,
} from './result.js';
import { parseVerdicts } from './verdicts.js';

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
  limits?: LimitsInput;
  signal?: AbortSignal;
  onEvent?: (event: DebugEvent) => void;
  sandbox?: Sandbox;
}

/** What a model reply reads as: the value wanted from it, or why it cannot be used. */
type Reading<T> = { ok: true; value: T } | { ok: false; problem: string };

/** One request to the model that is asked again once when the reply cannot be used. */
interface Ask<T> {
  purpose: 'verify' | 'fix';
  responseFormat: 'json' | 'text';
  read: (text: string) => Reading<T>;
  /** The follow-up message that tells the model what was wrong with its reply. */
  retryMessage: (problem: string) => ChatMessage;
  /** Opens the iteration's note when the first reply cannot be used: "verdicts did not parse". */
  unusable: string;
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
  /** What the last verdict ids stand for, for the fix prompt. */
  private targets: VerdictTarget[] | undefined;

  constructor(private readonly options: DebugOptions) {
    this.sandbox = options.sandbox ?? new Sandbox();
    this.ownsSandbox = !options.sandbox;
    this.filename = options.filename ?? 'program.js';
    this.cases = typeof options.tests === 'string' ? splitTests(options.tests, { filename: 'tests.js' }) : options.tests;
    this.level = options.level ?? 'block';
    const seed = options.pick && options.pick !== 'first' ? options.pick.seed : 0;
    this.random = mulberry32(seed);
    resolveLimits(options.limits); // fail early on bad limits
  }

  dispose(): void {
    if (this.ownsSandbox) this.sandbox.dispose();
  }

  async run(): Promise<DebugResult> {
    const seeded = this.options.code === undefined;
    let code = seeded ? await this.seed() : this.options.code!;
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
    // A program that does not parse cannot be traced: the fix prompt gets the syntax error.
    const trace = outcome.kind === 'error' && outcome.name === 'SyntaxError' ? undefined : await this.trace(iteration, testCase);
    const verdicts = trace ? await this.verify(iteration, testCase, trace) : null;
    if (this.options.signal?.aborted) return { stop: 'aborted' };
    const fixed = await this.fix(iteration, testCase, trace?.outcome ?? outcome, verdicts);
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

  private async verify(iteration: DebugIteration, testCase: TestCase, trace: Trace): Promise<Verdict[] | null> {
    const compact = formatTrace(trace, this.level, {
      code: iteration.code,
      filename: this.filename,
      budgetTokens: this.options.traceBudget ?? DEFAULT_TRACE_BUDGET,
    });
    this.emit({ type: 'trace', index: iteration.index, failingCase: iteration.failingCase!, trace, promptTokens: compact.tokens });
    const messages = prompts.verificationMessages({
      task: this.options.prompt,
      code: iteration.code,
      filename: this.filename,
      testCase,
      outcome: trace.outcome,
      compact,
      level: this.level,
      console: trace.console,
    });
    this.targets = compact.targets;
    const known = compact.targets.map((t) => t.id);
    if (known.length === 0) {
      // Nothing of the program ran (e.g. the test calls a missing function): nothing to judge.
      iteration.notes.push('no block of the program ran; asking for a fix from the failure alone');
      iteration.verdicts = null;
      this.emit({ type: 'verdicts', index: iteration.index, verdicts: null, notes: iteration.notes });
      return null;
    }
    const parsed = await this.askTwice(iteration, messages, {
      purpose: 'verify',
      responseFormat: 'json',
      read: (text) => {
        const result = parseVerdicts(text, known);
        return result.ok ? { ok: true, value: result.verdicts } : { ok: false, problem: result.error };
      },
      retryMessage: (problem) => prompts.verdictRetryMessage(problem),
      unusable: 'verdicts did not parse',
    });
    const verdicts = parsed.ok ? parsed.value : null;
    if (!parsed.ok) iteration.notes.push(`verdicts still did not parse (${parsed.problem}); going on without them`);
    iteration.verdicts = verdicts;
    this.emit({ type: 'verdicts', index: iteration.index, verdicts, notes: iteration.notes });
    return verdicts;
  }

  private async fix(iteration: DebugIteration, testCase: TestCase, outcome: Outcome, verdicts: Verdict[] | null): Promise<string | undefined> {
    if (!verdicts) this.targets = undefined;
    const messages = prompts.fixMessages({
      task: this.options.prompt,
      code: iteration.code,
      filename: this.filename,
      testCase,
      outcome,
      verdicts,
      targets: this.targets,
      entryPoint: this.options.entryPoint,
    });
    const extractOptions = { filename: this.filename, entryPoint: this.options.entryPoint };
    const extracted = await this.askTwice(iteration, messages, {
      purpose: 'fix',
      responseFormat: 'text',
      read: (text) => {
        const result = extractProgram(text, extractOptions);
        return result.ok ? { ok: true, value: result.code } : { ok: false, problem: result.reason };
      },
      retryMessage: (problem) => prompts.fixRetryMessage(problem),
      unusable: 'the fix was unusable',
    });
    if (!extracted.ok) {
      iteration.notes.push(`the fix was still unusable (${extracted.problem}); stopping`);
      return undefined;
    }
    return extracted.value;
  }

  private async seed(): Promise<string> {
    if (!this.options.prompt) throw new InputError('debug: give either `code` or a `prompt` to write the first program from');
    const language = /\.[cm]?tsx?$/.test(this.filename) ? 'typescript' : 'javascript';
    const messages = prompts.seedMessages({ task: this.options.prompt, language, entryPoint: this.options.entryPoint });
    const extractOptions = { filename: this.filename, entryPoint: this.options.entryPoint };
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = await this.options.model.complete({ messages, temperature: 0, signal: this.options.signal });
      addUsage(this.seedUsage, reply.usage);
      this.emit({ type: 'usage', index: -1, usage: reply.usage, purpose: 'seed' });
      const extracted = extractProgram(reply.text, extractOptions);
      if (extracted.ok) {
        this.emit({ type: 'seed', code: extracted.code, usage: reply.usage });
        return extracted.code;
      }
      messages.push({ role: 'assistant', content: reply.text }, prompts.fixRetryMessage(extracted.reason));
    }
    throw new ModelError(`${this.options.model.id}: could not write a first program from the prompt (no usable code in two replies)`);
  }

  /**
   * Asks the model, and once more when its reply cannot be used, saying why: a model that slipped
   * on the format usually gets it right when told. Returns what the last reply read as.
   */
  private async askTwice<T>(iteration: DebugIteration, messages: ChatMessage[], ask: Ask<T>): Promise<Reading<T>> {
    const reply = await this.complete(iteration, messages, ask.purpose, ask.responseFormat);
    const reading = ask.read(reply.text);
    if (reading.ok) return reading;
    iteration.notes.push(`${ask.unusable} (${reading.problem}); asked again`);
    const retry = [...messages, { role: 'assistant', content: reply.text } as const, ask.retryMessage(reading.problem)];
    const again = await this.complete(iteration, retry, ask.purpose, ask.responseFormat);
    return ask.read(again.text);
  }

  private async complete(
    iteration: DebugIteration,
    messages: ChatMessage[],
    purpose: 'verify' | 'fix',
    responseFormat: 'json' | 'text',
  ): Promise<Completion> {
    const reply = await this.options.model.complete({ messages, temperature: 0, responseFormat, signal: this.options.signal });
    addUsage(iteration.usage, reply.usage);
    this.emit({ type: 'usage', index: iteration.index, usage: reply.usage, purpose });
    return reply;
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

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let r = Math.imul(state ^ (state >>> 15), 1 | state);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
