import { runTests } from '../api.js';
import type { Problem } from '../cases/datasets.js';
import { splitTests, type TestCase } from '../cases/split.js';
import { taskPrompt, visibleTestSources } from '../cases/visible-tests.js';
import { debug } from '../debugger/loop.js';
import type { DebugIteration, DebugLevel, DebugResult, TokenTotals } from '../debugger/result.js';
import { describeFailure } from '../debugger/prompts.js';
import { InputError, ParseError } from '../errors.js';
import type { Model } from '../llm/model.js';
import type { LimitsInput } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { BenchMethod, BenchMode, RecordIteration, RecordOptions, RecordUsage, ResultRecord, TestScore } from './record.js';

export interface SolveSettings {
  mode: BenchMode;
  method: BenchMethod;
  level: DebugLevel;
  maxIterations: number;
  tokenBudget?: number;
  limits: LimitsInput;
  model: Model;
  /** Programs to debug in --mode seeds, by task id. */
  seeds?: Map<string, string>;
  recordOptions: RecordOptions;
  optionsKey: string;
  version: string;
}

const FILENAME = 'program.js';

/**
 * Debugs one problem and scores its seed and final programs on the hidden tests. Never throws
 * for the problem's own sake (a bad program, test or reply is a record with stop_reason
 * 'error'); only an abort propagates, so an interrupted problem is not written and gets redone.
 */
export async function solveProblem(
  problem: Problem,
  index: number,
  settings: SolveSettings,
  run: { sandbox: Sandbox; signal: AbortSignal },
): Promise<ResultRecord> {
  const started = performance.now();
  const base = baseRecord(problem, index, settings);
  try {
    const hidden = new HiddenScorer(problem, settings.limits, run.sandbox);
    const code = seedProgram(problem, settings);
    if (base.visible_tests.tests.length === 0) {
      const seed = code === undefined ? null : { code, visible: { passed: 0, total: 0 }, hidden: await hidden.score(code) };
      return finish(base, started, { seed, final: seed && { ...seed, iteration: 0 }, stop_reason: 'no-visible-tests' });
    }
    // The trace text each verification prompt showed, as the loop reports it (not recomputed: counting its tokens is not free).
    const traceTexts = new Map<number, string>();
    const result = await debug({
      code,
      tests: problem.visibleTests,
      prompt: taskPrompt(problem),
      entryPoint: problem.entryPoint,
      filename: FILENAME,
      model: settings.model,
      level: settings.level,
      method: settings.method,
      maxIterations: settings.maxIterations,
      tokenBudget: settings.tokenBudget,
      limits: settings.limits,
      sandbox: run.sandbox,
      signal: run.signal,
      onEvent: (event) => {
        if (event.type === 'trace' && event.text !== undefined) traceTexts.set(event.index, event.text);
      },
    });
    if (result.stopReason === 'aborted' || run.signal.aborted) throw abortError();
    return finish(base, started, await scoredResult(result, hidden, traceTexts));
  } catch (error) {
    if (run.signal.aborted) throw abortError();
    return finish(base, started, { stop_reason: 'error', error: errorText(error) });
  }
}

export function visibleTestsOf(problem: Problem): ResultRecord['visible_tests'] {
  let tests: string[] = [];
  try {
    tests = visibleTestSources(problem);
  } catch {
    // A visible test script that does not parse: the record's error says so.
  }
  return { from: tests.length === 0 ? 'none' : (problem.visibleFrom ?? 'examples'), tests };
}

function baseRecord(problem: Problem, index: number, settings: SolveSettings): ResultRecord {
  return {
    task_id: problem.id,
    index,
    dataset: settings.recordOptions.dataset,
    ...(problem.bugType === undefined ? {} : { bug_type: problem.bugType }),
    mode: settings.mode,
    method: settings.method,
    visible_tests: visibleTestsOf(problem),
    seed: null,
    final: null,
    seed_solved: false,
    solved: false,
    iterations: [],
    stop_reason: 'error',
    usage: { prompt_tokens: 0, completion_tokens: 0, calls: 0, cached_calls: 0, cost_usd: 0 },
    wall_ms: 0,
    ldb_version: settings.version,
    options: settings.recordOptions,
    options_key: settings.optionsKey,
  };
}

function finish(base: ResultRecord, started: number, parts: Partial<ResultRecord>): ResultRecord {
  const record = { ...base, ...parts, wall_ms: Math.round(performance.now() - started) };
  record.seed_solved = isSolved(record.seed?.hidden);
  record.solved = isSolved(record.final?.hidden);
  return record;
}

function isSolved(score: TestScore | undefined): boolean {
  return score !== undefined && score.total > 0 && score.passed === score.total;
}

function seedProgram(problem: Problem, settings: SolveSettings): string | undefined {
  if (settings.mode === 'generate') return undefined;
  if (settings.mode === 'fix') {
    if (problem.programs.buggy === undefined) throw new InputError(`${problem.id}: the dataset gives no buggy program (use --mode generate or seeds)`);
    return problem.programs.buggy;
  }
  const seed = settings.seeds?.get(problem.id);
  if (seed === undefined) throw new InputError(`${problem.id}: the seeds file has no program for this task`);
  return seed;
}

async function scoredResult(result: DebugResult, hidden: HiddenScorer, traceTexts: Map<number, string>): Promise<Partial<ResultRecord>> {
  const iterations: RecordIteration[] = [];
  for (const iteration of result.iterations) iterations.push(await recordIteration(iteration, hidden, traceTexts.get(iteration.index)));
  const first = iterations[0]!;
  const seedCode = result.iterations[0]!.code;
  const bestCode = result.best.code;
  return {
    seed: { code: seedCode, visible: first.visible, hidden: first.hidden },
    final: { code: bestCode, visible: iterations[result.best.iteration]!.visible, hidden: await hidden.score(bestCode), iteration: result.best.iteration },
    iterations,
    stop_reason: result.stopReason,
    usage: recordUsage(result.usage),
  };
}

async function recordIteration(iteration: DebugIteration, hidden: HiddenScorer, traceText: string | undefined): Promise<RecordIteration> {
  const failing = iteration.failingCase === undefined ? undefined : iteration.cases[iteration.failingCase];
  const record: RecordIteration = {
    index: iteration.index,
    visible: { passed: iteration.passed, total: iteration.total },
    hidden: await hidden.score(iteration.code),
    notes: iteration.notes,
    tokens: iteration.usage.promptTokens + iteration.usage.completionTokens,
  };
  if (failing) {
    record.failing_test = failing.source;
    record.failure = describeFailure(failing.outcome, FILENAME);
  }
  if (traceText !== undefined) record.trace_text = traceText;
  if (iteration.verdicts !== undefined) record.verdicts = iteration.verdicts;
  if (iteration.patch) record.patch_diff = iteration.patch.diff;
  return record;
}

function recordUsage(usage: TokenTotals): RecordUsage {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    calls: usage.calls,
    cached_calls: usage.cachedCalls,
    cost_usd: usage.costUsd,
  };
}

/** Scores programs on the hidden tests, each distinct program once. */
class HiddenScorer {
  private readonly cases: TestCase[];
  private readonly scores = new Map<string, TestScore>();

  constructor(
    problem: Problem,
    private readonly limits: LimitsInput,
    private readonly sandbox: Sandbox,
  ) {
    this.cases = splitTests(problem.hiddenTests, { filename: `${problem.id} (hidden tests)` });
  }

  async score(code: string): Promise<TestScore> {
    const known = this.scores.get(code);
    if (known) return known;
    let score: TestScore;
    try {
      const run = await runTests({ code, tests: this.cases, filename: FILENAME, limits: this.limits, sandbox: this.sandbox });
      score = { passed: run.passed, total: run.cases.length };
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      score = { passed: 0, total: this.cases.length };
    }
    this.scores.set(code, score);
    return score;
  }
}

function abortError(): Error {
  const error = new Error('the problem was interrupted');
  error.name = 'AbortError';
  return error;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
