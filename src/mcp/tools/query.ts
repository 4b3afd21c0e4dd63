import { InputError } from '../../errors.js';
import { DEFAULT_LIMITS } from '../../sandbox/limits.js';
import { limitsFor, type CallControl, type ToolContext } from '../context.js';
import { toolResult, type ToolResult } from '../results.js';
import type { QueryTraceInput } from '../schemas.js';
import { numberedEvents, unrecorded, type NumberedEvent } from '../steps.js';
import { evaluateWhere, type WhereMatches } from '../where.js';
import { traceFor, windowOf, type TracedRun } from './trace.js';

const DEFAULT_RESULTS = 100;
/** A query looks at the whole run, so its first run records more of it than a trace page does. */
const QUERY_STEPS = 20_000;
/** Steps one re-run records when a search goes into the dropped middle of a long run. */
export const QUERY_WINDOW = 25_000;
/** Re-runs one call may make (each runs the whole test): a call searches a bounded stretch, then says where to go on. */
export const QUERY_RERUNS = 8;

type Match = { step: number; block: string; line: number | null; value?: string; changed?: boolean; vars?: Record<string, string> };

/** Steps from..to (1-based, inclusive) with their records. */
interface Stretch {
  from: number;
  to: number;
  events: NumberedEvent[];
}

/** What the search found so far, over the steps from its start to `to`. */
interface Found {
  to: number;
  count: number;
  chosen: NumberedEvent[];
  errors: number;
  firstError: string | null;
}

/**
 * query_trace: the values of a variable at every visit of a block, or the steps where an
 * expression over the recorded values holds ("when did x become NaN"), evaluated in the sandbox.
 * The kept head and tail of the run are searched as recorded; its dropped middle window by
 * window, re-running the test (runs are deterministic), at most QUERY_RERUNS re-runs a call.
 */
export async function queryTraceTool(context: ToolContext, args: QueryTraceInput, control: CallControl): Promise<ToolResult> {
  if (args.variable === undefined && args.block === undefined && args.where === undefined) {
    throw new InputError('query_trace needs something to look for: a variable, a block, a where expression, or several of them');
  }
  const cap = Math.max(QUERY_STEPS, context.limits.maxEvents ?? DEFAULT_LIMITS.maxEvents);
  const run = await traceFor(context, args, control, { maxEvents: cap });
  if (args.block !== undefined && !run.lines.has(args.block)) {
    throw new InputError(`there is no block '${args.block}'; the program's blocks are: ${[...run.lines.keys()].join(', ')}`);
  }
  const total = run.trace.totalEvents;
  const start = args.from ?? 1;
  if (total > 0 && start > total) throw new InputError(`from ${start} is past the end of the run: it has ${total} steps`);
  const limit = args.maxResults ?? DEFAULT_RESULTS;
  const found = await search(context, args, control, run, start, limit);
  const data = {
    totalSteps: total,
    searched: { from: start, to: found.to },
    nextFrom: found.to < total ? found.to + 1 : null,
    matchCount: found.count,
    matches: found.chosen.map((e) => matchOf(e, run.lines, args.variable)),
    errors: found.errors > 0 ? { steps: found.errors, first: found.firstError ?? '' } : null,
  };
  return toolResult(queryText(args, data), data);
}

/**
 * Searches the stretches of the run in step order from `start`: the recorded head, windows of the
 * dropped middle, the recorded tail. It stops before a re-run once it has `limit` matches or has
 * spent its re-runs, so what it searched is always one stretch from `start`.
 */
async function search(context: ToolContext, args: QueryTraceInput, control: CallControl, run: TracedRun, start: number, limit: number): Promise<Found> {
  const total = run.trace.totalEvents;
  const all = numberedEvents(run.trace);
  const gap = unrecorded(run.trace);
  const found: Found = { to: start - 1, count: 0, chosen: [], errors: 0, firstError: null };
  const head: Stretch = { from: start, to: gap ? gap.from - 1 : total, events: all };
  await searchStretch(context, args, control, head, found, limit);
  if (!gap) return found;
  let reruns = 0;
  for (let next = Math.max(start, gap.from); next <= gap.to; next += QUERY_WINDOW, reruns++) {
    if (found.chosen.length >= limit || reruns >= QUERY_RERUNS) return found;
    const count = Math.min(QUERY_WINDOW, gap.to - next + 1);
    control.progress?.(`re-running the test to search steps ${next}-${next + count - 1} of ${total}`);
    const window = await traceFor(context, args, control, { window: { ...windowOf(next, count), expectTotal: total } });
    await searchStretch(context, args, control, { from: next, to: next + count - 1, events: numberedEvents(window.trace) }, found, limit);
  }
  await searchStretch(context, args, control, { from: Math.max(start, gap.to + 1), to: total, events: all }, found, limit);
  return found;
}

/** Adds the matches among the stretch's steps (those of its events in from..to) to `found`. */
async function searchStretch(context: ToolContext, args: QueryTraceInput, control: CallControl, stretch: Stretch, found: Found, limit: number): Promise<void> {
  if (stretch.to < stretch.from) return;
  let events = stretch.events.filter((e) => e.step >= stretch.from && e.step <= stretch.to);
  if (args.block !== undefined) events = events.filter((e) => e.event.block === args.block);
  if (args.variable !== undefined) events = events.filter((e) => args.variable! in e.event.vars);
  const wanted = limit - found.chosen.length;
  if (args.where !== undefined && events.length > 0) {
    const where = await whereMatches(context, args, events, wanted, control);
    found.chosen.push(...pick(events, where.steps));
    found.count += where.count;
    if (where.errors > 0 && found.errors === 0) found.firstError = where.firstError;
    found.errors += where.errors;
  } else if (args.where === undefined) {
    found.chosen.push(...events.slice(0, wanted));
    found.count += events.length;
  }
  found.to = stretch.to;
}

async function whereMatches(context: ToolContext, args: QueryTraceInput, events: NumberedEvent[], limit: number, control: CallControl): Promise<WhereMatches> {
  const limits = limitsFor(context, args);
  return context.pool.use((sandbox) => evaluateWhere(args.where!, events, sandbox, limits, limit), control.signal);
}

function pick(events: NumberedEvent[], steps: number[]): NumberedEvent[] {
  const wanted = new Set(steps);
  return events.filter((e) => wanted.has(e.step));
}

function matchOf({ step, event }: NumberedEvent, lines: Map<string, number>, variable: string | undefined): Match {
  const match: Match = { step, block: event.block, line: lines.get(event.block) ?? null };
  if (variable !== undefined) {
    match.value = event.vars[variable]!;
    match.changed = event.changed.includes(variable);
  } else {
    match.vars = event.vars;
  }
  return match;
}

interface QueryData {
  totalSteps: number;
  searched: { from: number; to: number };
  nextFrom: number | null;
  matchCount: number;
  matches: Match[];
  errors: { steps: number; first: string } | null;
}

function queryText(args: QueryTraceInput, data: QueryData): string {
  const scope = args.block !== undefined ? ` at the visits of ${args.block}` : '';
  const what = args.where !== undefined ? `Steps where \`${args.where}\` holds${args.variable ? ` (showing ${args.variable})` : ''}` : args.variable !== undefined ? `Values of ${args.variable}` : 'Visits';
  const { from, to } = data.searched;
  const range = from === 1 && data.nextFrom === null ? `all ${data.totalSteps} steps` : `steps ${from}-${to} of ${data.totalSteps}`;
  const lines = [`${what}${scope}: ${data.matchCount} in ${range}.`];
  for (const m of data.matches) {
    const place = `step ${m.step} · ${m.block}${m.line !== null ? `, line ${m.line}` : ''}`;
    const shown = m.value !== undefined ? `${args.variable} = ${m.value}${m.changed ? '*' : ''}` : Object.entries(m.vars ?? {}).map(([k, v]) => `${k} = ${v}`).join('  ');
    lines.push(`${place}: ${shown}`);
  }
  if (data.matchCount > data.matches.length) lines.push(`… ${data.matchCount - data.matches.length} more (raise maxResults to see them)`);
  if (data.matchCount === 0 && args.variable !== undefined) lines.push(`(${args.variable} was not recorded at any of these steps: a variable is recorded where it is in scope)`);
  if (data.errors) lines.push(`The expression threw at ${data.errors.steps} step(s), which do not match; the first: ${data.errors.first}`);
  if (data.nextFrom !== null) {
    const why = data.matches.length >= (args.maxResults ?? DEFAULT_RESULTS) ? `it had found ${data.matches.length} match${data.matches.length === 1 ? '' : 'es'}` : `it re-ran the test ${QUERY_RERUNS} times, ${QUERY_WINDOW} steps each`;
    lines.push(`The search stopped after step ${to} (${why}); steps ${data.nextFrom}-${data.totalSteps} were not searched: continue with from=${data.nextFrom}.`);
  }
  return lines.join('\n');
}
