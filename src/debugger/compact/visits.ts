import type { Block } from '../../program/model.js';
import type { Outcome, Trace, TraceEvent } from '../../sandbox/trace.js';
import type { VerdictTarget } from '../compact.js';
import type { SourceContext } from './source.js';
import { clip, indent, MAX_VALUE_CHARS } from './text.js';
import { errorOrigin, exitText, thrownHere, tracerGap, unitKey, type Layout, type Unit } from './units.js';

// Block and line level: one unit per recorded block visit.

type VisitLevel = 'line' | 'block';

/** A block longer than this shows only its first lines (the model has the whole program elsewhere). */
const MAX_CODE_LINES = 6;
const MAX_LINE_CHARS = 160;

export function visitLayout(trace: Trace, context: SourceContext, level: VisitLevel, end: string): Layout {
  const origin = errorOrigin(trace);
  const named = new Set<string>();
  const units = trace.events.map((event, i) => {
    const number = stepNumber(trace, i);
    const previousDepth = trace.events[i - 1]?.depth ?? event.depth;
    const block = context.block(event.block);
    // A nameless function is named where it is first entered; its later calls repeat only the id.
    const label = block?.kind === 'entry' && !named.has(block.fn) ? context.functionLabel(block.fn) : undefined;
    if (block) named.add(block.fn);
    const lines = visitLines(event, number, block, context, level, i === origin ? trace.outcome : undefined, label);
    const unit: Unit = {
      number,
      key: unitKey(event.block, event.depth, previousDepth),
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
  const gap = tracerGap(trace, trace.droppedAt);
  return { level, noun: 'step', units, gap, totalSteps: trace.totalEvents, legend: visitLegend(level), end };
}

/** Step numbers count the steps the tracer dropped, so they stay the run's own. */
function stepNumber(trace: Trace, index: number): number {
  return trace.truncated && index >= trace.droppedAt ? index + 1 + trace.dropped : index + 1;
}

function visitLegend(level: VisitLevel): string {
  const code = level === 'line' ? 'its code lines (L<n> = line n)' : 'its code';
  return (
    `One step per block run: block id and kind, ${code}, then the variables after it ran ` +
    '(`x = v*` changed, `x = v (same)` assigned its old value, `x = v` read; "unchanged:" names the rest). Indented steps are nested calls.'
  );
}

function visitLines(
  event: TraceEvent,
  number: number,
  block: Block | undefined,
  context: SourceContext,
  level: VisitLevel,
  error: Outcome | undefined,
  label: string | undefined,
): string[] {
  const kind = block && block.kind !== 'block' ? ` ${block.kind}` : '';
  const where = block && level === 'block' ? `, ${lineRange(block)}` : '';
  const depth = block?.kind === 'entry' && event.depth > 1 ? ` (depth ${event.depth}${label ? `, ${label}` : ''})` : label ? ` (${label})` : '';
  const lines = [`step ${number} · block ${event.block}${kind}${where}${depth}${exitNote(event, error)}`];
  if (block && block.kind !== 'exit') lines.push(...(level === 'line' ? numberedLines(block, context.lines) : quotedCode(block, context)));
  const vars = variablesLine(event, block ? context.reads(block) : new Set());
  if (vars) lines.push(`  ${vars}`);
  return lines;
}

function exitNote(event: TraceEvent, error: Outcome | undefined): string {
  const ending = thrownHere(error) ?? exitText(event);
  if (ending) return ` · ${ending}`;
  if (event.test !== undefined) return ` · test → ${event.test}`;
  return '';
}

export function lineRange(block: Block): string {
  const { start, end } = block.loc;
  return end.line > start.line ? `lines ${start.line}-${end.line}` : `line ${start.line}`;
}

/**
 * A block's own code as every prompt quotes it ("  | " lines, dedented). A long block shows its
 * first lines and its last one, where a branch's or loop's test is: the line a reported
 * `test → false` belongs to is never cut.
 */
export function quotedCode(block: Block, context: SourceContext): string[] {
  const lines = context.ownCode(block);
  const margin = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length));
  const dedented = lines.map((line) => clip(line.slice(Number.isFinite(margin) ? margin : 0).trimEnd(), MAX_LINE_CHARS));
  if (dedented.length <= MAX_CODE_LINES) return dedented.map((text) => `  | ${text}`);
  const head = dedented.slice(0, MAX_CODE_LINES - 1).map((text) => `  | ${text}`);
  const more = dedented.length - MAX_CODE_LINES;
  const cut = more > 0 ? [`  | … (${more} more line${more === 1 ? '' : 's'} of this block)`] : [];
  return [...head, ...cut, `  | ${dedented[dedented.length - 1]!}`];
}

/** Line level: the block's whole source lines, each with its L<n> label (capped like quotedCode). */
function numberedLines(block: Block, source: string[]): string[] {
  const { start, end } = block.loc;
  const last = Math.min(end.line, start.line - 1 + MAX_CODE_LINES);
  const lines = source.slice(start.line - 1, last);
  const margin = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length));
  const width = String(last).length;
  const shown = lines.map((line, i) => `  L${String(start.line + i).padEnd(width)}  ${clip(line.slice(Number.isFinite(margin) ? margin : 0).trimEnd(), MAX_LINE_CHARS)}`);
  const more = end.line - last;
  if (more > 0) shown.push(`  | … (${more} more line${more === 1 ? '' : 's'} of this block)`);
  return shown;
}

/** Changed variables (marked *), those assigned their old value again, then the ones the block reads; the rest are named, not shown. */
function variablesLine(event: TraceEvent, reads: Set<string>): string {
  const changed = new Set(event.changed);
  const written = new Set(event.written ?? []);
  const names = Object.keys(event.vars);
  const value = (n: string): string => clip(event.vars[n]!, MAX_VALUE_CHARS);
  const changes = names.filter((n) => changed.has(n)).map((n) => `${n} = ${value(n)}*`);
  const same = names.filter((n) => !changed.has(n) && written.has(n)).map((n) => `${n} = ${value(n)} (same)`);
  const read = names.filter((n) => !changed.has(n) && !written.has(n) && reads.has(n)).map((n) => `${n} = ${value(n)}`);
  const unchanged = names.filter((n) => !changed.has(n) && !written.has(n) && !reads.has(n));
  const rest = unchanged.length > 0 ? `(unchanged: ${unchanged.join(', ')})` : '';
  return [...changes, ...same, ...read, rest].filter((s) => s !== '').join('  ');
}

function visitTargets(block: Block, context: SourceContext, level: VisitLevel): VerdictTarget[] {
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
