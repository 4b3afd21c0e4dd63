import { traceTest } from '../../api.js';
import { compactTrace } from '../../debugger/compact.js';
import { granularityFor } from '../../debugger/format.js';
import type { DebugLevel } from '../../debugger/result.js';
import { InputError, SandboxError } from '../../errors.js';
import type { Block } from '../../program/model.js';
import { parseProgram } from '../../program/program.js';
import type { Trace } from '../../sandbox/trace.js';
import { chosenTest, limitsFor, type CallArgs, type CallControl, type ToolContext } from '../context.js';
import { outcomeData, toolResult, type ToolResult } from '../results.js';
import type { StepOutput, TraceTestInput } from '../schemas.js';
import { formatStep, numberedEvents, stepData, unrecorded } from '../steps.js';
import type { SourceText } from '../workspace.js';

const DEFAULT_PAGE = 50;
/** The trace budget of ldb's own verification prompts (debug()'s default), so the text is the one its model reads. */
const PROMPT_TRACE_TOKENS = 1500;

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

/**
 * How to record the run: the kept head and tail of at most `maxEvents` steps, or only the steps
 * of a window (0-based `from`; with `expectTotal`, a re-run that takes another number of steps
 * than the run it re-records is an error).
 */
export interface Recording {
  maxEvents?: number;
  window?: { from: number; count: number; expectTotal?: number };
}

/** Runs the chosen test on the instrumented program in a pooled sandbox. */
export async function traceFor(context: ToolContext, args: TraceArgs, control: CallControl, recording: Recording = {}): Promise<TracedRun> {
  const program = await context.workspace.program(args);
  const test = await chosenTest(context, args);
  const level = args.level ?? 'block';
  const granularity = granularityFor(level);
  const limits = limitsFor(context, args, recording.maxEvents !== undefined ? { maxEvents: recording.maxEvents } : {});
  const { window } = recording;
  const once = () =>
    context.pool.use(
      (sandbox) =>
          traceTest({ code: program.code, filename: program.filename, test, limits, granularity, sandbox, entryPoint: args.entryPoint, ...(window ? { window: { from: window.from, count: window.count } } : {}) }),
      control.signal,
    );
  let trace = await once();
  // The sandbox server's isolate keeps memory from earlier runs until a run exhausts it (then it
  // is replaced): a re-run that ran out of memory where the run it repeats did not gets one more try.
  if (window?.expectTotal !== undefined && trace.outcome.kind === 'memory') trace = await once();
  if (window?.expectTotal !== undefined && trace.totalEvents !== window.expectTotal) {
    throw new SandboxError(`the re-run of the test did not repeat the traced run: it took ${trace.totalEvents} steps, the trace has ${window.expectTotal}`);
  }
  const blocks = parseProgram(program.code, { filename: program.filename, granularity }).blocks;
  return { program, trace, level, blocks, lines: new Map(blocks.map((b) => [b.id, b.loc.start.line])) };
}

interface PageRuns {
  /** The run the answer describes (outcome, console, compacted trace). */
  run: TracedRun;
  /** The trace the page's steps are read from: the run's own, or a window re-run of it. */
  steps: Trace;
  from: number;
  to: number;
}

/**
 * trace_test: the compacted trace ldb puts in its prompts (on the first page), and the steps as
 * data, a page at a time. A page anywhere in a run, however long, is recorded by re-running the
 * test (runs are deterministic) recording only that page's steps.
 */
export async function traceTestTool(context: ToolContext, args: TraceTestInput, control: CallControl): Promise<ToolResult> {
  const size = args.maxSteps ?? DEFAULT_PAGE;
  const page = args.from === undefined ? await firstPage(context, args, control, size) : await pageAt(context, args, control, args.from, size);
  const { run, from, to } = page;
  const total = run.trace.totalEvents;
  const steps = numberedEvents(page.steps)
    .filter(({ step }) => step >= from && step <= to)
    .map((event) => stepData(event, run.lines));
  const missing = missingSteps(steps, from, to);
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

/** The first page: the whole run's trace (for the compacted text), and a window if the page is longer than its kept head. */
async function firstPage(context: ToolContext, args: TraceTestInput, control: CallControl, size: number): Promise<PageRuns> {
  const run = await traceFor(context, args, control);
  const total = run.trace.totalEvents;
  const to = Math.min(total, size);
  if (covers(run.trace, 1, to)) return { run, steps: run.trace, from: 1, to };
  const window = await traceFor(context, args, control, { window: { ...windowOf(1, to), expectTotal: total } });
  return { run, steps: window.trace, from: 1, to };
}

/** A page from step `from` (1-based): one re-run that records only its steps. */
async function pageAt(context: ToolContext, args: TraceTestInput, control: CallControl, from: number, size: number): Promise<PageRuns> {
  const run = await traceFor(context, args, control, { window: windowOf(from, size) });
  const total = run.trace.totalEvents;
  if (total > 0 && from > total) throw new InputError(`from ${from} is past the end of the run: it has ${total} steps`);
  return { run, steps: run.trace, from, to: Math.min(total, from + size - 1) };
}

/**
 * The window re-run that records steps from..from+count-1 (1-based) with the step before them:
 * a step's changed variables are those that differ from the step before, so the first step of
 * a window would otherwise show every variable as changed.
 */
export function windowOf(from: number, count: number): { from: number; count: number } {
  return from > 1 ? { from: from - 2, count: count + 1 } : { from: 0, count };
}

function covers(trace: Trace, from: number, to: number): boolean {
  const gap = unrecorded(trace);
  return gap === null || to < gap.from || from > gap.to;
}

/** The steps of the page that came back without a record (a re-run stopped early by a limit). */
function missingSteps(steps: StepOutput[], from: number, to: number): { from: number; to: number } | null {
  const have = new Set(steps.map((s) => s.step));
  let first = 0;
  let last = 0;
  for (let step = from; step <= to; step++) {
    if (have.has(step)) continue;
    if (first === 0) first = step;
    last = step;
  }
  return first === 0 ? null : { from: first, to: last };
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
      `Steps ${page.missing.from}-${page.missing.to} ran but were not recorded: the re-run that records them stopped before them (a time or memory limit).`,
    );
  }
  const shown = compact !== undefined ? `The steps ${page.from}-${page.to} of ${page.total} are in structuredContent.steps` : '';
  const next = page.nextFrom !== null ? `next page: from=${page.nextFrom}` : 'this is the last page';
  parts.push(shown ? `${shown}; ${next}.` : `(${next})`);
  return parts.join('\n');
}
