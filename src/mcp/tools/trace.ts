import { traceTest } from '../../api.js';
import { compactTrace } from '../../debugger/compact.js';
import { granularityFor } from '../../debugger/format.js';
import type { DebugLevel } from '../../debugger/result.js';
import { InputError } from '../../errors.js';
import type { Block } from '../../program/model.js';
import { parseProgram } from '../../program/program.js';
import { DEFAULT_LIMITS } from '../../sandbox/limits.js';
import type { Trace } from '../../sandbox/trace.js';
import { chosenTest, limitsFor, type CallArgs, type CallControl, type ToolContext } from '../context.js';
import { outcomeData, toolResult, type ToolResult } from '../results.js';
import type { StepOutput, TraceTestInput } from '../schemas.js';
import { formatStep, numberedEvents, stepData, unrecorded } from '../steps.js';
import type { SourceText } from '../workspace.js';

const DEFAULT_PAGE = 50;
/** The trace budget of ldb's own verification prompts (debug()'s default), so the text is the one its model reads. */
const PROMPT_TRACE_TOKENS = 1500;
/**
 * The most steps one re-execution records to serve a page deep in a long run. The engine keeps
 * the first fifth and the last four fifths of its event cap; a page in the middle of a run longer
 * than this cannot be recorded yet (that needs a windowed traceTest).
 */
export const MAX_RECORDED_STEPS = 50_000;

export interface TracedRun {
  program: SourceText;
  trace: Trace;
  level: DebugLevel;
  blocks: Block[];
  /** Block id -> first line, for the steps' `line`. */
  lines: Map<string, number>;
}

export interface TraceArgs extends CallArgs {
  test: string | number;
  level?: DebugLevel | undefined;
}

/** Runs the chosen test on the instrumented program in a pooled sandbox. */
export async function traceFor(context: ToolContext, args: TraceArgs, control: CallControl, maxEvents?: number): Promise<TracedRun> {
  const program = await context.workspace.program(args);
  const test = await chosenTest(context, args);
  const level = args.level ?? 'block';
  const granularity = granularityFor(level);
  const limits = limitsFor(context, args, maxEvents !== undefined ? { maxEvents } : {});
  const trace = await context.pool.use(
    (sandbox) =>
      traceTest({ code: program.code, filename: program.filename, test, limits, granularity, sandbox, entryPoint: args.entryPoint }),
    control.signal,
  );
  const blocks = parseProgram(program.code, { filename: program.filename, granularity }).blocks;
  return { program, trace, level, blocks, lines: new Map(blocks.map((b) => [b.id, b.loc.start.line])) };
}

/**
 * trace_test: the compacted trace ldb puts in its prompts (on the first page), and the steps as
 * data, a page at a time. A page that falls in the unrecorded middle of a long run is served by
 * running the test again (runs are deterministic) with a cap that reaches it.
 */
export async function traceTestTool(context: ToolContext, args: TraceTestInput, control: CallControl): Promise<ToolResult> {
  let run = await traceFor(context, args, control);
  const from = args.from ?? 1;
  const total = run.trace.totalEvents;
  if (total > 0 && from > total) throw new InputError(`from ${from} is past the end of the run: it has ${total} steps`);
  const to = Math.min(total, from + (args.maxSteps ?? DEFAULT_PAGE) - 1);
  if (!covers(run.trace, from, to)) {
    const cap = capFor(run.trace, from, to);
    if (cap > (context.limits.maxEvents ?? DEFAULT_LIMITS.maxEvents)) run = await traceFor(context, args, control, cap);
  }
  const steps = numberedEvents(run.trace)
    .filter(({ step }) => step >= from && step <= to)
    .map((event) => stepData(event, run.lines));
  const gap = unrecorded(run.trace);
  const missing = gap && gap.from <= to && gap.to >= from ? { from: Math.max(gap.from, from), to: Math.min(gap.to, to) } : null;
  const compact =
    args.from === undefined
      ? compactTrace({ trace: run.trace, blocks: run.blocks, source: run.program.code, level: run.level, budgetTokens: PROMPT_TRACE_TOKENS })
      : null;
  const nextFrom = to < total ? to + 1 : null;
  const data = {
    test: run.trace.test,
    outcome: outcomeData(run.trace.outcome),
    totalSteps: total,
    from,
    steps,
    nextFrom,
    notRecorded: missing,
    compact: compact ? { text: compact.text, tokens: compact.tokens, omitted: compact.omitted } : null,
    ...(run.trace.returnValue !== undefined ? { returnValue: run.trace.returnValue } : {}),
    console: run.trace.console,
  };
  return toolResult(traceText(data.outcome.summary, compact?.text, steps, { from, to, total, nextFrom, missing }), data);
}

function covers(trace: Trace, from: number, to: number): boolean {
  const gap = unrecorded(trace);
  return gap === null || to < gap.from || from > gap.to;
}

/** The smallest event cap whose kept head (a fifth) or kept tail (the rest) holds steps from..to. */
function capFor(trace: Trace, from: number, to: number): number {
  const byHead = 5 * to;
  const byTail = Math.ceil(((trace.totalEvents - from + 1) * 5) / 4) + 1;
  return Math.min(MAX_RECORDED_STEPS, Math.min(byHead, byTail));
}

interface Page {
  from: number;
  to: number;
  total: number;
  nextFrom: number | null;
  missing: { from: number; to: number } | null;
}

function traceText(summary: string, compact: string | undefined, steps: StepOutput[], page: Page): string {
  const parts: string[] = [];
  if (compact !== undefined) parts.push(compact);
  else parts.push(`Test ${summary}. Steps ${page.from}-${page.to} of ${page.total}:`, ...steps.map(formatStep));
  if (page.missing) {
    parts.push(
      `Steps ${page.missing.from}-${page.missing.to} ran but were not recorded (a run keeps at most ${MAX_RECORDED_STEPS} steps: the first fifth and the last four fifths).`,
    );
  }
  const shown = compact !== undefined ? `The steps ${page.from}-${page.to} of ${page.total} are in structuredContent.steps` : '';
  const next = page.nextFrom !== null ? `next page: from=${page.nextFrom}` : 'this is the last page';
  parts.push(shown ? `${shown}; ${next}.` : `(${next})`);
  return parts.join('\n');
}
