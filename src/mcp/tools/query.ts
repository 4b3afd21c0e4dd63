import { InputError } from '../../errors.js';
import { DEFAULT_LIMITS } from '../../sandbox/limits.js';
import { limitsFor, type CallControl, type ToolContext } from '../context.js';
import { toolResult, type ToolResult } from '../results.js';
import type { QueryTraceInput } from '../schemas.js';
import { numberedEvents, unrecorded, type NumberedEvent } from '../steps.js';
import { evaluateWhere, type WhereMatches } from '../where.js';
import { MAX_RECORDED_STEPS, traceFor } from './trace.js';

const DEFAULT_RESULTS = 100;
/** A query looks at the whole run, so it records more of it than a trace page does. */
const QUERY_STEPS = 20_000;

type Match = { step: number; block: string; line: number | null; value?: string; changed?: boolean; vars?: Record<string, string> };

/**
 * query_trace: the values of a variable at every visit of a block, or the steps where an
 * expression over the recorded values holds ("when did x become NaN"), evaluated in the sandbox.
 */
export async function queryTraceTool(context: ToolContext, args: QueryTraceInput, control: CallControl): Promise<ToolResult> {
  if (args.variable === undefined && args.block === undefined && args.where === undefined) {
    throw new InputError('query_trace needs something to look for: a variable, a block, a where expression, or several of them');
  }
  const cap = Math.min(MAX_RECORDED_STEPS, Math.max(QUERY_STEPS, context.limits.maxEvents ?? DEFAULT_LIMITS.maxEvents));
  const run = await traceFor(context, args, control, cap);
  let events = numberedEvents(run.trace);
  if (args.block !== undefined) {
    if (!run.lines.has(args.block)) throw new InputError(`there is no block '${args.block}'; the program's blocks are: ${[...run.lines.keys()].join(', ')}`);
    events = events.filter((e) => e.event.block === args.block);
  }
  if (args.variable !== undefined) events = events.filter((e) => args.variable! in e.event.vars);
  const limit = args.maxResults ?? DEFAULT_RESULTS;
  const where = args.where !== undefined ? await whereMatches(context, args, events, limit, control) : undefined;
  const chosen = where ? pick(events, where.steps) : events.slice(0, limit);
  const matches = chosen.map((e) => matchOf(e, run.lines, args.variable));
  const data = {
    totalSteps: run.trace.totalEvents,
    recordedSteps: run.trace.events.length,
    notRecorded: unrecorded(run.trace),
    matchCount: where ? where.count : events.length,
    matches,
    errors: where && where.errors > 0 ? { steps: where.errors, first: where.firstError ?? '' } : null,
  };
  return toolResult(queryText(args, data, run.trace.events.length), data);
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
  matchCount: number;
  matches: Match[];
  notRecorded: { from: number; to: number } | null;
  errors: { steps: number; first: string } | null;
}

function queryText(args: QueryTraceInput, data: QueryData, recorded: number): string {
  const scope = args.block !== undefined ? ` at the visits of ${args.block}` : '';
  const what = args.where !== undefined ? `Steps where \`${args.where}\` holds${args.variable ? ` (showing ${args.variable})` : ''}` : args.variable !== undefined ? `Values of ${args.variable}` : 'Visits';
  const lines = [`${what}${scope}: ${data.matchCount} of ${recorded} recorded steps (the run has ${data.totalSteps}).`];
  for (const m of data.matches) {
    const place = `step ${m.step} · ${m.block}${m.line !== null ? `, line ${m.line}` : ''}`;
    const shown = m.value !== undefined ? `${args.variable} = ${m.value}${m.changed ? '*' : ''}` : Object.entries(m.vars ?? {}).map(([k, v]) => `${k} = ${v}`).join('  ');
    lines.push(`${place}: ${shown}`);
  }
  if (data.matchCount > data.matches.length) lines.push(`… ${data.matchCount - data.matches.length} more (raise maxResults to see them)`);
  if (data.matchCount === 0 && args.variable !== undefined) lines.push(`(${args.variable} was not recorded at any of these steps: a variable is recorded where it is in scope)`);
  if (data.errors) lines.push(`The expression threw at ${data.errors.steps} step(s), which do not match; the first: ${data.errors.first}`);
  if (data.notRecorded) lines.push(`Steps ${data.notRecorded.from}-${data.notRecorded.to} ran but were not recorded, so they were not searched.`);
  return lines.join('\n');
}
