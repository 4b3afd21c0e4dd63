import { describeOutcome, type Trace } from '../../sandbox/trace.js';
import type { Item } from './outline.js';
import { RELEVANCE_NOTE } from './relevance.js';
import { clip, indent, MAX_VALUE_CHARS, plural } from './text.js';
import type { Layout } from './units.js';

// Rendering: the header, the items (each stretch of dropped ones as one marker line) and the end of the run.

/** What the header reports: units shown, units a loop summary stands for, units cut for length. */
export interface ShownCounts {
  shown: number;
  repeated: number;
  cut: number;
}

export function itemLines(item: Item, layout: Layout): string[] {
  return item.kind === 'unit' ? layout.units[item.unit]!.lines : item.lines;
}

/** The text with the `dropped` items left out, and a note for each place where something is left out. */
export function render(items: Item[], dropped: Set<number>, layout: Layout, byRelevance = false): { text: string; omitted: string[] } {
  const body: string[] = [];
  const omitted: string[] = [];
  const counts: ShownCounts = { shown: 0, repeated: 0, cut: 0 };
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (dropped.has(i)) {
      let j = i;
      while (dropped.has(j + 1)) j++;
      const marker = cutMarker(items.slice(i, j + 1), layout);
      counts.cut += marker.count;
      body.push(...marker.lines);
      omitted.push(marker.note);
      i = j;
      continue;
    }
    if (item.kind === 'unit') counts.shown++;
    else omitted.push(item.note);
    if (item.kind === 'repeat') counts.repeated += item.count - item.unrecorded;
    body.push(...itemLines(item, layout));
  }
  const header = headerLines(layout, counts);
  // Only a cut needs its rule explained: a trace shown whole was not chosen from.
  if (byRelevance && counts.cut > 0) header.splice(1, 0, RELEVANCE_NOTE);
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

/** The title (what the trace holds, and everything it does not show) and the legend. */
export function headerLines(layout: Layout, counts: ShownCounts): string[] {
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

/** The text's last line: how the run ended. */
export function endOfRun(trace: Trace): string {
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
