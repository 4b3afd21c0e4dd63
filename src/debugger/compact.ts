import { TOP_LEVEL, type Block } from '../program/model.js';
import { describeOutcome, type Outcome, type Trace, type TraceEvent } from '../sandbox/trace.js';
import { countTokens as countWithTokenizer } from './tokens.js';

/** How finely the trace is shown: a step per line of code, per block visit (LDB's default) or per call. */
export type TraceLevel = 'line' | 'block' | 'function';

export interface CompactTraceInput {
  trace: Trace;
  blocks: Block[];
  source: string;
  level: TraceLevel;
  budgetTokens: number;
  countTokens?: (text: string) => number;
}

/** One thing the model is asked to judge (a block, a line or a call) and the blocks its verdict applies to. */
export interface VerdictTarget {
  /** The id the model answers with: `sumTo#3`, `L11` or `fib/call-2`. */
  id: string;
  kind: 'block' | 'line' | 'call';
  /** What it is, for people and the fix prompt: `line 10`, `line 11`, `fib(n = 3)`. */
  label: string;
  /** The source lines it covers (a call: its whole function). */
  lines: { start: number; end: number };
  blocks: string[];
}

export interface CompactTrace {
  text: string;
  /** One note per place where the text leaves something out, in order (the text marks each with "…"). */
  omitted: string[];
  tokens: number;
  /** What the verification prompt asks verdicts for: the blocks, lines or calls shown in the text. */
  targets: VerdictTarget[];
}

/** A loop must repeat this often before its middle is summarised (a summary of one iteration saves nothing). */
const MIN_REPEATS = 4;
/** Longest loop body, in steps, that repeat detection looks for. */
const MAX_PERIOD = 48;
/** The steps nearest the failure are dropped last; the first few (arguments, set-up) next to last. */
const TAIL_ITEMS = 3;
const HEAD_ITEMS = 2;
const MAX_CODE_LINES = 6;
const MAX_LINE_CHARS = 160;
const MAX_VALUE_CHARS = 200;
const MAX_SUMMARY_VALUE_CHARS = 40;
const MAX_SUMMARY_VARS = 6;
const MAX_INDENT = 8;

/** Turns a trace into the text the model reads, within `budgetTokens`, saying everything it leaves out. */
export function compactTrace(input: CompactTraceInput): CompactTrace {
  const count = input.countTokens ?? countWithTokenizer;
  const layout = layoutFor(input);
  if (layout.units.length === 0) return emptyTrace(input.trace, count);
  const items = outline(layout, findRuns(layout));
  const order = dropOrder(items, layout);
  const dropped = fitBudget(items, order, layout, input.budgetTokens, count);
  const { text, omitted } = render(items, dropped, layout);
  return { text, omitted, tokens: count(text), targets: targetsOf(items, dropped, layout) };
}

// ---------------------------------------------------------------------------------------------
// Units: what one printed step is at each level.

/** A printed step: one block visit (block/line level) or one call (function level). */
interface Unit {
  /** Step number in the whole run (block/line level) or call number (function level). */
  number: number;
  /** Units with the same key after the same change of depth took the same path (repeat detection). */
  key: string;
  depth: number;
  /** Values the summary of a collapsed loop reports ranges of. */
  vars: Record<string, string>;
  /** Function level: what the call returned or threw, summarised like a variable. */
  result?: string;
  /** Printed lines, indented for depth. */
  lines: string[];
  targets: VerdictTarget[];
  /** Targets asked about only when nothing else ran (a function's entry: its arguments are the caller's doing). */
  fallbackTargets: VerdictTarget[];
  /** A loop that repeats this unit is called iterations, otherwise repetitions. */
  loop: boolean;
  /** Never dropped: the error was thrown here, or (function level) it is the tested call. */
  pinned: boolean;
}

interface Layout {
  level: TraceLevel;
  noun: 'step' | 'call';
  units: Unit[];
  /** The tracer's own gap (a long run keeps only its first and last steps): before units[at]. */
  gap?: { at: number; steps: number };
  /** Steps of the whole run (block visits), recorded or not. */
  totalSteps: number;
  legend: string;
  end: string;
}

function layoutFor(input: CompactTraceInput): Layout {
  const context = new SourceContext(input.source, input.blocks);
  const end = endOfRun(input.trace);
  if (input.level === 'function') return functionLayout(input.trace, context, end);
  return visitLayout(input.trace, context, input.level, end);
}

/** Source text and block lookups shared by the unit builders. */
class SourceContext {
  readonly lines: string[];
  private readonly byId: Map<string, Block>;
  private readonly readsCache = new Map<string, Set<string>>();

  constructor(source: string, readonly blocks: Block[]) {
    this.lines = source.split(/\r?\n/);
    this.byId = new Map(blocks.map((b) => [b.id, b]));
  }

  block(id: string): Block | undefined {
    return this.byId.get(id);
  }

  /** Identifiers in the block's own source range: the variables it reads or writes. */
  reads(block: Block): Set<string> {
    let names = this.readsCache.get(block.id);
    if (!names) {
      names = identifiersIn(this.exactText(block));
      this.readsCache.set(block.id, names);
    }
    return names;
  }

  private exactText(block: Block): string {
    const { start, end } = block.loc;
    const lines = this.lines.slice(start.line - 1, end.line);
    if (lines.length === 0) return '';
    // Cut the last line first: on a one-line block the end column counts from the line's start.
    lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, end.col);
    lines[0] = lines[0]!.slice(start.col);
    return lines.join('\n');
  }
}

/** Names that occur as identifiers (not as `.property`) outside comments and plain string literals. */
export function identifiersIn(code: string): Set<string> {
  const stripped = code
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, ' ')
    .replace(/(['"])(?:\\.|(?!\1)[^\\\n])*\1/g, '""')
    .replace(/\$\{/g, ' (');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const at = match.index;
    const before = stripped[at - 1];
    if (before !== undefined && /[\w$]/.test(before)) continue;
    if (before === '.' && stripped[at - 2] !== '.') continue;
    names.add(match[0]);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// Block and line level: one unit per recorded block visit.

function visitLayout(trace: Trace, context: SourceContext, level: 'line' | 'block', end: string): Layout {
  const origin = errorOrigin(trace);
  const units = trace.events.map((event, i) => {
    const number = stepNumber(trace, i);
    const previousDepth = trace.events[i - 1]?.depth ?? event.depth;
    const block = context.block(event.block);
    const lines = visitLines(event, number, block, context, level, i === origin ? trace.outcome : undefined);
    const unit: Unit = {
      number,
      key: `${event.block}|${event.depth - previousDepth}`,
      depth: event.depth,
      vars: event.vars,
      lines: indent(lines, event.depth),
      targets: block && block.kind !== 'entry' ? visitTargets(block, context, level) : [],
      fallbackTargets: block?.kind === 'entry' ? visitTargets(block, context, level) : [],
      loop: block?.kind === 'loop',
      pinned: i === origin,
    };
    return unit;
  });
  const gap = trace.truncated && trace.dropped > 0 ? { at: trace.droppedAt, steps: trace.dropped } : undefined;
  return { level, noun: 'step', units, gap, totalSteps: trace.totalEvents, legend: visitLegend(level), end };
}

function stepNumber(trace: Trace, index: number): number {
  return trace.truncated && index >= trace.droppedAt ? index + 1 + trace.dropped : index + 1;
}

function visitLegend(level: 'line' | 'block'): string {
  const code = level === 'line' ? 'its code lines (L<n> = line n)' : 'its code';
  return (
    `One step per block run: block id and kind, ${code}, then the variables after it ran ` +
    '(`x = v*` changed by the step, `x = v` read by it, "unchanged:" names the rest in scope). Indented steps are nested calls.'
  );
}

function visitLines(
  event: TraceEvent,
  number: number,
  block: Block | undefined,
  context: SourceContext,
  level: 'line' | 'block',
  error: Outcome | undefined,
): string[] {
  const kind = block && block.kind !== 'block' ? ` ${block.kind}` : '';
  const where = block && level === 'block' ? `, ${lineRange(block)}` : '';
  const depth = block?.kind === 'entry' && event.depth > 1 ? ` (depth ${event.depth})` : '';
  const lines = [`step ${number} · ${event.block}${kind}${where}${depth}${exitNote(event, error)}`];
  if (block && block.kind !== 'exit') lines.push(...codeLines(block, context.lines, level));
  const vars = variablesLine(event, block ? context.reads(block) : new Set());
  if (vars) lines.push(`  ${vars}`);
  return lines;
}

function exitNote(event: TraceEvent, error: Outcome | undefined): string {
  if (error?.kind === 'error') return ` · ✗ ${error.name} thrown here: ${error.message}`;
  if (event.exit === 'return') return ` · returns ${clip(event.value ?? 'undefined', MAX_VALUE_CHARS)}`;
  if (event.exit === 'throw') return ` · throws ${clip(event.value ?? '', MAX_VALUE_CHARS)}`;
  if (event.exit === 'interrupted') return ' · left by the exception';
  if (event.test !== undefined) return ` · test → ${event.test}`;
  return '';
}

function lineRange(block: Block): string {
  const { start, end } = block.loc;
  return end.line > start.line ? `lines ${start.line}-${end.line}` : `line ${start.line}`;
}

/** The block's whole source lines (a test cut at its parenthesis reads badly), dedented and capped. */
function codeLines(block: Block, source: string[], level: 'line' | 'block'): string[] {
  const { start, end } = block.loc;
  const last = Math.min(end.line, start.line - 1 + MAX_CODE_LINES);
  const lines = source.slice(start.line - 1, last);
  const margin = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length));
  const width = String(last).length;
  const shown = lines.map((line, i) => {
    const text = clip(line.slice(Number.isFinite(margin) ? margin : 0).trimEnd(), MAX_LINE_CHARS);
    return level === 'line' ? `  L${String(start.line + i).padEnd(width)}  ${text}` : `  | ${text}`;
  });
  const more = end.line - last;
  if (more > 0) shown.push(`  | … (${more} more line${more === 1 ? '' : 's'} of this block)`);
  return shown;
}

/** Changed variables (marked *), then the ones the block reads; the rest are named, not shown. */
function variablesLine(event: TraceEvent, reads: Set<string>): string {
  const changed = new Set(event.changed);
  const names = Object.keys(event.vars);
  const written = names.filter((n) => changed.has(n)).map((n) => `${n} = ${clip(event.vars[n]!, MAX_VALUE_CHARS)}*`);
  const read = names.filter((n) => !changed.has(n) && reads.has(n)).map((n) => `${n} = ${clip(event.vars[n]!, MAX_VALUE_CHARS)}`);
  const unchanged = names.filter((n) => !changed.has(n) && !reads.has(n));
  const rest = unchanged.length > 0 ? `(unchanged: ${unchanged.join(', ')})` : '';
  return [...written, ...read, rest].filter((s) => s !== '').join('  ');
}

function visitTargets(block: Block, context: SourceContext, level: 'line' | 'block'): VerdictTarget[] {
  if (block.kind === 'exit') return [];
  const { start, end } = block.loc;
  if (level === 'block') {
    return [{ id: block.id, kind: 'block', label: lineRange(block), lines: { start: start.line, end: end.line }, blocks: [block.id] }];
  }
  const targets: VerdictTarget[] = [];
  for (let line = start.line; line <= end.line; line++) {
    if (!context.lines[line - 1]?.trim()) continue;
    targets.push({ id: `L${line}`, kind: 'line', label: `line ${line}`, lines: { start: line, end: line }, blocks: [block.id] });
  }
  return targets;
}

/** The event where the error was thrown: the first of the trailing events that an exception left. */
function errorOrigin(trace: Trace): number {
  if (trace.outcome.kind !== 'error') return -1;
  let origin = -1;
  for (let i = trace.events.length - 1; i >= 0; i--) {
    const exit = trace.events[i]!.exit;
    if (exit !== 'interrupted' && exit !== 'throw') break;
    origin = i;
  }
  return origin;
}

function indent(lines: string[], depth: number): string[] {
  const pad = '  '.repeat(Math.min(MAX_INDENT, Math.max(0, depth - 1)));
  return lines.map((line) => pad + line);
}

// ---------------------------------------------------------------------------------------------
// Function level: one unit per call, paired from the entry visit to the visit that left it.

interface Call {
  fn: string;
  depth: number;
  /** Arguments at entry; undefined when the entry was not recorded. */
  args?: Record<string, string>;
  /** Variables after the call's first and last recorded steps (for calls entered out of sight, and top-level code). */
  first: Record<string, string>;
  last: Record<string, string>;
  result?: string;
  events: number[];
}

function functionLayout(trace: Trace, context: SourceContext, end: string): Layout {
  const { calls, gapAt } = collectCalls(trace, context);
  const originEvent = errorOrigin(trace);
  // The tested call: the first call at the shallowest depth (top-level code is not a call).
  const outermost = Math.min(...calls.map((c) => (c.fn === TOP_LEVEL ? Infinity : c.depth)));
  const tested = calls.findIndex((c) => c.depth === outermost);
  const units = calls.map((call, i): Unit => {
    const failedHere = originEvent >= 0 && call.events.includes(originEvent);
    const unit = callUnit(call, i + 1, context, failedHere ? trace.outcome : undefined);
    return { ...unit, key: `${call.fn}|${call.depth - (calls[i - 1]?.depth ?? call.depth)}`, pinned: failedHere || i === tested };
  });
  const gap = trace.truncated && trace.dropped > 0 ? { at: gapAt, steps: trace.dropped } : undefined;
  const legend = 'One line per call: call id, fn(arguments at entry) → what it returned or threw. Calls made by a call are indented under it.';
  return { level: 'function', noun: 'call', units, gap, totalSteps: trace.totalEvents, legend, end };
}

function callUnit(call: Call, number: number, context: SourceContext, error: Outcome | undefined): Omit<Unit, 'key' | 'pinned'> {
  const id = `${call.fn}/call-${number}`;
  const all = context.blocks.filter((b) => b.fn === call.fn);
  const own = all.filter((b) => b.kind !== 'exit');
  // The exit block sits on the closing brace: with it the range is the whole function.
  const lines = { start: Math.min(...all.map((b) => b.loc.start.line)), end: Math.max(...all.map((b) => b.loc.end.line)) };
  const judged = call.fn !== TOP_LEVEL && own.length > 0;
  return {
    number,
    depth: call.depth,
    vars: call.args ?? call.first,
    result: call.result,
    lines: indent([`${id}  ${callText(call)}${callResult(call, error)}`], call.depth),
    targets: judged ? [{ id, kind: 'call', label: callText(call), lines, blocks: own.map((b) => b.id) }] : [],
    fallbackTargets: [],
    loop: false,
  };
}

function collectCalls(trace: Trace, context: SourceContext): { calls: Call[]; gapAt: number } {
  const calls: Call[] = [];
  const stack: Call[] = [];
  let gapAt = -1;
  trace.events.forEach((event, i) => {
    if (trace.truncated && i === trace.droppedAt) gapAt = calls.length;
    const block = context.block(event.block);
    const fn = block?.fn ?? event.block.replace(/#\d+$/, '');
    while (stack.length > 0 && stack[stack.length - 1]!.depth > event.depth) stack.pop();
    if (block?.kind === 'entry') while (stack.length > 0 && stack[stack.length - 1]!.depth >= event.depth) stack.pop();
    let call = stack[stack.length - 1];
    if (!call || call.depth !== event.depth || call.fn !== fn || block?.kind === 'entry') {
      const args = block?.kind === 'entry' ? event.vars : undefined;
      call = { fn, depth: event.depth, args, first: event.vars, last: event.vars, events: [] };
      calls.push(call);
      stack.push(call);
    }
    call.events.push(i);
    call.last = event.vars;
    const result = callExit(event);
    if (result) {
      call.result = result;
      stack.pop();
    }
  });
  for (const open of stack) open.result ??= stillRunning(trace.outcome);
  return { calls, gapAt: gapAt < 0 ? calls.length : gapAt };
}

function callExit(event: TraceEvent): string | undefined {
  if (event.exit === 'return') return `returns ${clip(event.value ?? 'undefined', MAX_VALUE_CHARS)}`;
  if (event.exit === 'throw') return `throws ${clip(event.value ?? '', MAX_VALUE_CHARS)}`;
  if (event.exit === 'interrupted') return 'left by the exception';
  return undefined;
}

function stillRunning(outcome: Outcome): string | undefined {
  if (outcome.kind === 'timeout' || outcome.kind === 'memory') return 'still running when the run was stopped';
  return undefined;
}

function callText(call: Call): string {
  if (call.fn === TOP_LEVEL) {
    const values = Object.entries(call.last).map(([k, v]) => `${k} = ${clip(v, MAX_SUMMARY_VALUE_CHARS)}`);
    return `(top-level code)${values.length > 0 ? ` defines ${values.join(', ')}` : ''}`;
  }
  if (!call.args) {
    const seen = Object.entries(call.first).map(([k, v]) => `${k} = ${clip(v, MAX_SUMMARY_VALUE_CHARS)}`);
    return `${call.fn}(…) (entered where the run was not recorded; first seen with ${seen.join(', ') || 'no variables'})`;
  }
  const args = Object.entries(call.args).map(([k, v]) => `${k} = ${clip(v, MAX_VALUE_CHARS)}`);
  return `${call.fn}(${args.join(', ')})`;
}

function callResult(call: Call, error: Outcome | undefined): string {
  if (error?.kind === 'error') return ` → ✗ ${error.name} thrown here: ${error.message}`;
  if (call.fn === TOP_LEVEL) return '';
  return ` → ${call.result ?? 'ends without a recorded return (undefined)'}`;
}

// ---------------------------------------------------------------------------------------------
// Repeats: the same path through a loop (or the same chain of calls), found as a repeating key sequence.

interface Run {
  start: number;
  period: number;
  /** Index after the run's last unit. */
  end: number;
  /** Repetitions, counting those in the tracer's gap. */
  reps: number;
  /** Steps of the run that fell in the tracer's gap (a run bridged across it). */
  unrecorded: number;
}

function findRuns(layout: Layout): Run[] {
  const keys = layout.units.map((u) => u.key);
  const gapAt = layout.gap?.at ?? keys.length;
  const before = scanRuns(keys, 0, gapAt);
  const bridged = bridgeGap(before[before.length - 1], keys, layout);
  if (!bridged) return [...before, ...scanRuns(keys, gapAt, keys.length)];
  return [...before.slice(0, -1), bridged, ...scanRuns(keys, bridged.end, keys.length)];
}

function scanRuns(keys: string[], from: number, to: number): Run[] {
  const runs: Run[] = [];
  let i = from;
  while (i < to) {
    const run = bestRunAt(keys, i, to);
    if (run) {
      runs.push(run);
      i = run.end;
    } else {
      i++;
    }
  }
  return runs;
}

/** The period that covers the most units from `start` on; the shortest one wins ties. */
function bestRunAt(keys: string[], start: number, end: number): Run | undefined {
  let best: Run | undefined;
  for (let period = 1; period <= MAX_PERIOD && start + period * MIN_REPEATS <= end; period++) {
    let reps = 1;
    while (start + (reps + 1) * period <= end && sameKeys(keys, start, start + reps * period, period)) reps++;
    if (reps >= MIN_REPEATS && (!best || reps * period > best.reps * best.period)) {
      best = { start, period, end: start + reps * period, reps, unrecorded: 0 };
    }
  }
  return best;
}

function sameKeys(keys: string[], a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (keys[a + k] !== keys[b + k]) return false;
  return true;
}

/**
 * A loop still running when the tracer's gap starts and again when it ends is one loop: its
 * unrecorded steps are counted in, whatever phase of the loop body the recording resumes at.
 */
function bridgeGap(run: Run | undefined, keys: string[], layout: Layout): Run | undefined {
  const gap = layout.gap;
  if (!run || !gap || layout.noun !== 'step') return undefined;
  const patternAt = (offset: number): string | undefined => keys[run.start + (offset % run.period)];
  for (let u = run.end; u < gap.at; u++) if (keys[u] !== patternAt(u - run.start)) return undefined;
  const resumeOffset = gap.at - run.start + gap.steps;
  let matched = 0;
  while (gap.at + matched < keys.length && keys[gap.at + matched] === patternAt(resumeOffset + matched)) matched++;
  const reps = Math.floor((resumeOffset + matched) / run.period);
  const recordedAfter = reps * run.period - resumeOffset;
  // The last repetition is shown whole, so it must lie after the gap.
  if (recordedAfter < run.period) return undefined;
  return { start: run.start, period: run.period, end: gap.at + recordedAfter, reps, unrecorded: gap.steps };
}

// ---------------------------------------------------------------------------------------------
// Outline: the units in order, with each collapsed loop middle and the tracer's gap as one item.

type Item =
  | { kind: 'unit'; unit: number }
  | { kind: 'repeat'; from: number; to: number; count: number; unrecorded: number; lines: string[]; note: string }
  | { kind: 'unrecorded'; at: number; steps: number; lines: string[]; note: string };

function outline(layout: Layout, runs: Run[]): Item[] {
  const items: Item[] = [];
  const runAt = new Map(runs.map((r) => [r.start, r]));
  const { units, gap } = layout;
  let i = 0;
  while (i < units.length) {
    // A run bridged across the gap has consumed it; otherwise the gap is an item of its own.
    if (gap && i === gap.at) items.push(unrecordedItem(layout, gap));
    const run = runAt.get(i);
    if (!run) {
      items.push({ kind: 'unit', unit: i });
      i++;
      continue;
    }
    for (let k = 0; k < run.period; k++) items.push({ kind: 'unit', unit: run.start + k });
    items.push(repeatItem(layout, run, run.start + run.period, run.end - run.period - 1));
    for (let k = run.end - run.period; k < run.end; k++) items.push({ kind: 'unit', unit: k });
    i = run.end;
  }
  if (gap && gap.at >= units.length) items.push(unrecordedItem(layout, gap));
  return items;
}

function unrecordedItem(layout: Layout, gap: { at: number; steps: number }): Item {
  const calls = layout.noun === 'call' ? '; calls made in them are not listed' : '';
  const note = `${gap.steps} steps of the run were not recorded here (the tracer keeps only the first and last steps of a long run)${calls}`;
  const depth = layout.units[gap.at]?.depth ?? layout.units[gap.at - 1]?.depth ?? 1;
  return { kind: 'unrecorded', at: gap.at, steps: gap.steps, lines: indent([`… ${note}`], depth), note };
}

function repeatItem(layout: Layout, run: Run, from: number, to: number): Item {
  const units = layout.units.slice(from, to + 1);
  const pattern = layout.units.slice(run.start, run.start + run.period);
  const noun = layout.noun;
  const count = to - from + 1 + run.unrecorded;
  const range = `${noun}s ${layout.units[from]!.number}-${layout.units[to]!.number}`;
  const what = pattern.some((u) => u.loop) ? 'iterations' : 'repetitions';
  const drift = (layout.units[run.start + run.period]?.depth ?? pattern[0]!.depth) - pattern[0]!.depth;
  const path = describePattern(pattern, layout.noun, drift);
  const unrecorded = run.unrecorded;
  const partly = unrecorded > 0 ? ` (${unrecorded} of these ${noun}s were not recorded)` : '';
  const note = `${range} omitted: ${what} 2-${run.reps - 1} of ${run.reps} of ${path}${partly}; ${valueRanges(units)}${resultRange(units)}`;
  return { kind: 'repeat', from, to, count, unrecorded, lines: indent([`… ${note}`], units[0]!.depth), note };
}

/** "the same path sumTo#2 → sumTo#3": the key's first part is the block id (or function name). */
function describePattern(pattern: Unit[], noun: 'step' | 'call', drift: number): string {
  const ids = pattern.map((u) => u.key.slice(0, u.key.lastIndexOf('|')));
  const shown = ids.length > 4 ? [...ids.slice(0, 4), '…'] : ids;
  const depthNote = drift > 0 ? ', each repetition one call deeper' : drift < 0 ? ', each repetition one call shallower' : '';
  return `the same ${noun === 'call' ? 'calls' : 'path'} ${shown.join(' → ')}${depthNote}`;
}

/** Function level: "; results returns 1→returns 5", or "; each left by the exception". */
function resultRange(units: Unit[]): string {
  const results = units.map((u) => u.result).filter((r): r is string => r !== undefined);
  if (results.length === 0) return '';
  const first = results[0]!;
  const last = results[results.length - 1]!;
  if (results.every((r) => r === first)) return `; each ${clip(first, MAX_SUMMARY_VALUE_CHARS)}`;
  return `; results ${clip(first, MAX_SUMMARY_VALUE_CHARS)} … ${clip(last, MAX_SUMMARY_VALUE_CHARS)}`;
}

/** "i 2→9995, total 1→49955015; unchanged: n" over the units a summary stands for. */
function valueRanges(units: Unit[]): string {
  const first = new Map<string, string>();
  const last = new Map<string, string>();
  const varied = new Set<string>();
  for (const unit of units) {
    for (const [name, value] of Object.entries(unit.vars)) {
      if (!first.has(name)) first.set(name, value);
      else if (first.get(name) !== value) varied.add(name);
      last.set(name, value);
    }
  }
  const changes = [...first.keys()].filter((n) => varied.has(n)).map((n) => `${n} ${clip(first.get(n)!, MAX_SUMMARY_VALUE_CHARS)}→${clip(last.get(n)!, MAX_SUMMARY_VALUE_CHARS)}`);
  const shown = changes.length > MAX_SUMMARY_VARS ? [...changes.slice(0, MAX_SUMMARY_VARS), `and ${changes.length - MAX_SUMMARY_VARS} more`] : changes;
  const same = [...first.keys()].filter((n) => !varied.has(n));
  const parts = [shown.length > 0 ? shown.join(', ') : 'no variable changed', same.length > 0 ? `unchanged: ${same.join(', ')}` : ''];
  return parts.filter((p) => p !== '').join('; ');
}

// ---------------------------------------------------------------------------------------------
// Budget: drop the least useful items first, never the last steps before the failure.

/**
 * Item indices in the order they are given up: steps in the middle (earliest first), then the first
 * steps (latest first, so the arguments go last), then the last steps before the failure, then
 * loop summaries (a line each, and "no variable changed" in a million iterations says more than a
 * step). The very last step and the step that threw are never given up.
 */
function dropOrder(items: Item[], layout: Layout): number[] {
  const candidates = items.flatMap((item, i) => (item.kind === 'unrecorded' ? [] : [i]));
  const last = candidates[candidates.length - 1];
  const tailStart = candidates[Math.max(0, candidates.length - TAIL_ITEMS)] ?? 0;
  const pinned = (i: number): boolean => {
    const item = items[i]!;
    return i === last || (item.kind === 'unit' && layout.units[item.unit]!.pinned);
  };
  const free = candidates.filter((i) => !pinned(i));
  const steps = free.filter((i) => i < tailStart && items[i]!.kind === 'unit');
  const head = steps.slice(0, HEAD_ITEMS);
  const middle = steps.slice(head.length);
  const summaries = free.filter((i) => i < tailStart && items[i]!.kind === 'repeat');
  const tail = free.filter((i) => i >= tailStart);
  return [...middle, ...head.reverse(), ...tail, ...summaries];
}

function fitBudget(items: Item[], order: number[], layout: Layout, budget: number, count: (text: string) => number): Set<number> {
  const dropped = new Set<number>();
  const cost = items.map((item) => count(itemLines(item, layout).join('\n')) + 1);
  const markerCost = count(`… steps 1000-2000 omitted to fit the length limit (1000 steps)`) + 1;
  const fixed = count([...headerLines(layout, { shown: 100, repeated: 1000, cut: 1000 }), '', '', layout.end].join('\n'));
  let next = 0;
  const estimate = (): number => fixed + items.reduce((sum, _, i) => sum + (dropped.has(i) ? (dropped.has(i - 1) ? 0 : markerCost) : cost[i]!), 0);
  // The summary nearest the failure describes the loop that was running when it happened: it stays.
  const keep = items.map((item) => item.kind).lastIndexOf('repeat');
  const drop = (i: number): void => {
    dropped.add(i);
    if (i - 1 !== keep) absorbBetween(items, dropped, i - 1);
    if (i + 1 !== keep) absorbBetween(items, dropped, i + 1);
  };
  while (next < order.length && estimate() > budget) drop(order[next++]!);
  // The estimate adds up pieces; tokens at the joins and the header's counts can tip it over.
  while (next < order.length && count(render(items, dropped, layout).text) > budget) drop(order[next++]!);
  return dropped;
}

/**
 * A loop summary or tracer gap with dropped steps on both sides joins them: one marker line for
 * the whole stretch reads better (and costs less) than three, and a stretch of alternating
 * summaries and markers is mostly noise.
 */
function absorbBetween(items: Item[], dropped: Set<number>, i: number): void {
  const item = items[i];
  if (!item || item.kind === 'unit' || dropped.has(i)) return;
  if (dropped.has(i - 1) && dropped.has(i + 1)) dropped.add(i);
}

// ---------------------------------------------------------------------------------------------
// Rendering.

function itemLines(item: Item, layout: Layout): string[] {
  return item.kind === 'unit' ? layout.units[item.unit]!.lines : item.lines;
}

function render(items: Item[], dropped: Set<number>, layout: Layout): { text: string; omitted: string[] } {
  const body: string[] = [];
  const omitted: string[] = [];
  let shown = 0;
  let repeated = 0;
  let cut = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (dropped.has(i)) {
      let j = i;
      while (dropped.has(j + 1)) j++;
      const marker = cutMarker(items.slice(i, j + 1), layout);
      cut += marker.count;
      body.push(...marker.lines);
      omitted.push(marker.note);
      i = j;
      continue;
    }
    if (item.kind === 'unit') shown++;
    else omitted.push(item.note);
    if (item.kind === 'repeat') repeated += item.count - item.unrecorded;
    body.push(...itemLines(item, layout));
  }
  const header = headerLines(layout, { shown, repeated, cut });
  return { text: [...header, '', ...body, '', layout.end].join('\n'), omitted };
}

/** One line for a stretch of dropped items; `count` is what the header reports as cut (recorded units only). */
function cutMarker(items: Item[], layout: Layout): { lines: string[]; note: string; count: number } {
  const units = items.flatMap((item) => (item.kind === 'unit' ? [item.unit] : item.kind === 'repeat' ? [item.from, item.to] : []));
  const first = layout.units[Math.min(...units)]!;
  const lastUnit = layout.units[Math.max(...units)]!;
  const recorded = items.reduce((sum, item) => sum + (item.kind === 'unit' ? 1 : item.kind === 'repeat' ? item.count - item.unrecorded : 0), 0);
  const unrecorded = items.reduce((sum, item) => sum + (item.kind === 'repeat' ? item.unrecorded : item.kind === 'unrecorded' ? item.steps : 0), 0);
  const range = first === lastUnit ? `${layout.noun} ${first.number}` : `${layout.noun}s ${first.number}-${lastUnit.number}`;
  const what =
    unrecorded === 0
      ? plural(recorded, layout.noun)
      : layout.noun === 'step'
        ? `${plural(recorded + unrecorded, 'step')}, ${unrecorded} of them not recorded`
        : `${plural(recorded, 'call')}, and ${unrecorded} steps that were not recorded`;
  const note = `${range} omitted to fit the length limit (${what})`;
  return { lines: indent([`… ${note}`], first.depth), note, count: recorded };
}

function headerLines(layout: Layout, counts: { shown: number; repeated: number; cut: number }): string[] {
  const { noun } = layout;
  const total =
    noun === 'step'
      ? plural(layout.totalSteps, 'step')
      : `${plural(layout.units.length, layout.gap ? 'recorded call' : 'call')} (${plural(layout.totalSteps, 'block step')})`;
  const title = `Trace at ${layout.level} level: ${total}`;
  const missing = [
    layout.gap ? `${plural(layout.gap.steps, 'step')} the tracer did not record` : '',
    counts.repeated > 0 ? `${plural(counts.repeated, noun)} of repeated ${noun === 'step' ? 'loop iterations' : 'calls'} (summarised)` : '',
    counts.cut > 0 ? `${plural(counts.cut, noun)} cut to fit the length limit` : '',
  ].filter((s) => s !== '');
  if (missing.length === 0) return [`${title}, all shown.`, layout.legend];
  const note = `${counts.shown} shown. NOT shown: ${missing.join('; ')}. Each "…" line marks such a gap and says what it hides.`;
  return [`${title}; ${note}`, layout.legend];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function endOfRun(trace: Trace): string {
  const outcome = trace.outcome;
  const last = trace.totalEvents;
  switch (outcome.kind) {
    case 'pass':
      return 'End of run: the test passed.';
    case 'fail': {
      // "got 3" already says it when the assertion compared the returned value itself.
      const value = trace.returnValue;
      const returned = value !== undefined && value !== outcome.actual ? ` The tested call returned ${clip(value, MAX_VALUE_CHARS)}.` : '';
      return `End of run: the test ${describeOutcome(outcome)}.${returned}`;
    }
    case 'error': {
      const at = outcome.loc ? ` at ${outcome.loc.file ? `${outcome.loc.file} ` : ''}line ${outcome.loc.line}` : '';
      return `End of run: ${outcome.name}${at}: ${outcome.message}`;
    }
    case 'timeout':
    case 'memory':
      return `End of run: the run was stopped: it ${describeOutcome(outcome)}, still running after step ${last}.`;
  }
}

function emptyTrace(trace: Trace, count: (text: string) => number): CompactTrace {
  const text = `No block of the program ran during this test.\n${endOfRun(trace)}`;
  return { text, omitted: [], tokens: count(text), targets: [] };
}

/** The shown blocks, lines or calls, each once; lines in line order so the model reads them top down. */
function targetsOf(items: Item[], dropped: Set<number>, layout: Layout): VerdictTarget[] {
  const shown = items.flatMap((item, i) => (item.kind === 'unit' && !dropped.has(i) ? [layout.units[item.unit]!] : []));
  const primary = mergeTargets(shown.flatMap((u) => u.targets));
  const targets = primary.length > 0 ? primary : mergeTargets(shown.flatMap((u) => u.fallbackTargets));
  return layout.level === 'line' ? targets.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1))) : targets;
}

function mergeTargets(targets: VerdictTarget[]): VerdictTarget[] {
  const byId = new Map<string, VerdictTarget>();
  for (const target of targets) {
    const known = byId.get(target.id);
    if (!known) byId.set(target.id, { ...target, blocks: [...target.blocks] });
    else for (const b of target.blocks) if (!known.blocks.includes(b)) known.blocks.push(b);
  }
  return [...byId.values()];
}

function clip(text: string, width: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}
