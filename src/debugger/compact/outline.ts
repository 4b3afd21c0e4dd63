import type { Run } from './repeats.js';
import { clip, indent, MAX_SUMMARY_VALUE_CHARS } from './text.js';
import { keyName, type Layout, type TracerGap, type Unit } from './units.js';

// Outline: the units in order, with each collapsed loop middle and the tracer's gap as one item.

/** A summary names at most this many changing variables (the rest are counted). */
const MAX_SUMMARY_VARS = 6;

/** One entry of the printed trace: a unit, a loop summary, or the tracer's gap. */
export type Item =
  | { kind: 'unit'; unit: number }
  | { kind: 'repeat'; from: number; to: number; count: number; unrecorded: number; lines: string[]; note: string }
  | { kind: 'unrecorded'; at: number; steps: number; lines: string[]; note: string };

/**
 * Each run keeps its first and last repetition whole; the repetitions between become one summary,
 * except a repetition holding a focus unit (a step that decides the wrong result), which is shown
 * whole between two summaries.
 */
export function outline(layout: Layout, runs: Run[], focus: Set<number> = new Set()): Item[] {
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
    items.push(...middleItems(layout, run, focus));
    for (let k = run.end - run.period; k < run.end; k++) items.push({ kind: 'unit', unit: k });
    i = run.end;
  }
  if (gap && gap.at >= units.length) items.push(unrecordedItem(layout, gap));
  return items;
}

/** The repetitions between a run's first and last: summaries, broken open where a focus unit lies. */
function middleItems(layout: Layout, run: Run, focus: Set<number>): Item[] {
  const from = run.start + run.period;
  const to = run.end - run.period - 1;
  // A run bridged across the tracer's gap numbers its repetitions past the gap: kept whole.
  const shownReps = new Set<number>();
  if (run.unrecorded === 0) for (const u of focus) if (u >= from && u <= to) shownReps.add(Math.floor((u - run.start) / run.period));
  if (shownReps.size === 0) return [repeatItem(layout, run, from, to)];
  const items: Item[] = [];
  let start = from;
  for (const rep of [...shownReps].sort((a, b) => a - b)) {
    const repStart = run.start + rep * run.period;
    if (repStart > start) items.push(repeatItem(layout, run, start, repStart - 1));
    for (let k = 0; k < run.period; k++) items.push({ kind: 'unit', unit: repStart + k });
    start = repStart + run.period;
  }
  if (start <= to) items.push(repeatItem(layout, run, start, to));
  return items;
}

function unrecordedItem(layout: Layout, gap: TracerGap): Item {
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
  const firstRep = Math.round((from - run.start) / run.period) + 1;
  const lastRep = run.unrecorded > 0 ? run.reps - 1 : Math.round((to + 1 - run.start) / run.period);
  const reps = firstRep === lastRep ? `${what.slice(0, -1)} ${firstRep}` : `${what} ${firstRep}-${lastRep}`;
  const note = `${range} omitted: ${reps} of ${run.reps} of ${path}${partly}; hidden: ${valueRanges(units)}${resultRange(units)}`;
  return { kind: 'repeat', from, to, count, unrecorded, lines: indent([`… ${note}`], units[0]!.depth), note };
}

/** "blocks sumTo#2 → sumTo#3" (or "calls sumTo → sumTo"). */
function describePattern(pattern: Unit[], noun: 'step' | 'call', drift: number): string {
  const ids = pattern.map((u) => keyName(u.key));
  const shown = ids.length > 4 ? [...ids.slice(0, 4), '…'] : ids;
  const depthNote = drift > 0 ? ', each repetition one call deeper' : drift < 0 ? ', each repetition one call shallower' : '';
  return `the same ${noun === 'call' ? 'calls' : 'blocks'} ${shown.join(' → ')}${depthNote}`;
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

/** "i = 2..9995 (first..last), total = 1..49955015; unchanged: n" over the units a summary stands for. */
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
  const changes = [...first.keys()].filter((n) => varied.has(n)).map((n) => `${n} = ${clip(first.get(n)!, MAX_SUMMARY_VALUE_CHARS)}..${clip(last.get(n)!, MAX_SUMMARY_VALUE_CHARS)}`);
  const shown = changes.length > MAX_SUMMARY_VARS ? [...changes.slice(0, MAX_SUMMARY_VARS), `and ${changes.length - MAX_SUMMARY_VARS} more`] : changes;
  const same = [...first.keys()].filter((n) => !varied.has(n));
  const parts = [shown.length > 0 ? shown.join(', ') : 'no variable changed', same.length > 0 ? `unchanged: ${same.join(', ')}` : ''];
  return parts.filter((p) => p !== '').join('; ');
}
