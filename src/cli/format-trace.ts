import { formatLoc } from '../errors.js';
import type { Block } from '../program/model.js';
import type { CaseResult } from '../api.js';
import { describeOutcome, type Trace, type TraceEvent } from '../sandbox/trace.js';
import type { Style } from './style.js';
import { collapseRepeats, type TraceItem } from './collapse.js';

const MAX_EXCERPT_LINES = 6;
/** Calls deeper than this are not indented further (a stack overflow is thousands deep). */
const MAX_INDENT = 10;

/** One line per case: ✓/✗, its number, its source and, when it failed, why. */
export function formatCaseList(results: CaseResult[], style: Style): string[] {
  const width = Math.min(60, Math.max(...results.map((r) => oneLine(caseLabel(r.case)).length)));
  return results.map((result, i) => {
    const ok = result.outcome.kind === 'pass';
    const mark = ok ? style.pass('✓') : style.fail('✗');
    const source = truncate(oneLine(caseLabel(result.case)), width);
    const why = ok ? '' : `${' '.repeat(width - source.length)}  ${style.fail(describeOutcome(result.outcome))}`;
    return `  ${mark} ${String(i + 1).padStart(2)}  ${source}${why}`;
  });
}

export interface TraceView {
  trace: Trace;
  blocks: Block[];
  source: string;
  caseNumber: number;
  /** The case's title path (test()-style cases); else the trace's test text is shown. */
  title?: string;
  /** Every step kept, instead of collapsing repeated loop iterations. */
  allSteps?: boolean;
}

/** The terminal's block-by-block story of one run: each step's block, its code and the variables after it. */
export function formatTraceForTerminal(view: TraceView, style: Style): string[] {
  const { trace } = view;
  const lines = [style.bold(`Trace of case ${view.caseNumber}: ${oneLine(view.title ?? trace.test)}`), `  ${outcomeLine(trace, style)}`, ''];
  const blocks = new Map(view.blocks.map((b) => [b.id, b]));
  const sourceLines = view.source.split('\n');
  const gapAt = trace.truncated ? trace.droppedAt : trace.events.length;
  const stepNumber = (i: number) => (i < gapAt ? i + 1 : i + 1 + trace.dropped);
  const items: TraceItem[] = view.allSteps ? trace.events.map((_, index) => ({ kind: 'step', index })) : collapseRepeats(trace.events, gapAt);
  let collapsed = 0;
  for (const item of items) {
    if (item.kind === 'step' && trace.truncated && item.index === gapAt) lines.push(style.dim(`  … ${gapNote(trace)} …`), '');
    if (item.kind === 'repeat') {
      collapsed += item.to - item.from + 1;
      const indent = '  '.repeat(Math.min(MAX_INDENT, Math.max(0, (trace.events[item.from]?.depth ?? 1) - 1)));
      const path = item.path.length > 4 ? [...item.path.slice(0, 4), '…'] : item.path;
      const ranges = valueRanges(trace.events.slice(item.from, item.to + 1));
      const note = `steps ${stepNumber(item.from)}-${stepNumber(item.to)} not shown: iterations 2-${item.reps - 1} of ${item.reps} of the same path ${path.join(' → ')}${ranges ? `; ${ranges}` : ''}`;
      lines.push(style.dim(`${indent}… ${note} …`), '');
      continue;
    }
    const event = trace.events[item.index]!;
    lines.push(...formatEvent(event, stepNumber(item.index), blocks.get(event.block), sourceLines, style), '');
  }
  if (trace.truncated && gapAt >= trace.events.length) lines.push(style.dim(`  … ${gapNote(trace)} …`), '');
  if (trace.events.length === 0) lines.push(style.dim('  (no block of the program ran)'), '');
  if (trace.console.length > 0) lines.push(style.bold('Console'), ...trace.console.map((l) => `  ${l}`), '');
  const notKept = trace.truncated ? `, ${trace.dropped} not recorded` : '';
  const hidden = collapsed > 0 ? `, ${collapsed} repeated loop steps collapsed (--all-steps shows them)` : '';
  lines.push(`${trace.totalEvents} steps${notKept}${hidden}`);
  return lines;
}

/** "i 2→98, total 1→4753": the variables that changed over the collapsed steps, first and last value. */
function valueRanges(events: readonly TraceEvent[]): string {
  const first = new Map<string, string>();
  const last = new Map<string, string>();
  for (const event of events) {
    for (const [name, value] of Object.entries(event.vars)) {
      if (!first.has(name)) first.set(name, value);
      last.set(name, value);
    }
  }
  const changed = [...first].filter(([name, value]) => last.get(name) !== value);
  const shown = changed.slice(0, 6).map(([name, value]) => `${name} ${truncate(value, 24)}→${truncate(last.get(name)!, 24)}`);
  return changed.length > 6 ? `${shown.join(', ')} (+${changed.length - 6} more)` : shown.join(', ');
}

/** Exactly what the tracer kept of a long run: its first and its last steps, by number. */
function gapNote(trace: Trace): string {
  const head = trace.droppedAt;
  const tail = trace.events.length - head;
  const from = head + 1;
  const to = head + trace.dropped;
  return `steps ${from}-${to} (${trace.dropped}) were not recorded: the trace keeps the first ${head} and the last ${tail} steps of a long run`;
}

function formatEvent(event: TraceEvent, step: number, block: Block | undefined, source: string[], style: Style): string[] {
  const indent = '  '.repeat(Math.min(MAX_INDENT, Math.max(0, event.depth - 1)));
  const deep = event.depth - 1 > MAX_INDENT ? style.dim(` depth ${event.depth}`) : '';
  const where = block ? `line ${block.loc.start.line}${block.loc.end.line > block.loc.start.line ? `-${block.loc.end.line}` : ''}` : '';
  const kind = block && block.kind !== 'block' ? ` ${block.kind}` : '';
  const head = `${indent}${style.dim(`#${step}`)} ${style.block(event.block)}${style.dim(kind)}  ${style.dim(where)}${deep}${exitNote(event, style)}`;
  const lines = [head];
  for (const code of excerpt(block, source)) lines.push(`${indent}    ${style.dim('│')} ${style.code(code)}`);
  const vars = Object.entries(event.vars).map(([name, value]) => {
    const text = `${name} = ${value}`;
    return event.changed.includes(name) ? style.changed(`${text} *`) : text;
  });
  if (vars.length > 0) lines.push(`${indent}    ${vars.join(style.dim('  ·  '))}`);
  return lines;
}

function exitNote(event: TraceEvent, style: Style): string {
  if (event.exit === 'return') return `  → returns ${event.value ?? 'undefined'}`;
  if (event.exit === 'throw') return style.fail(`  → throws ${event.value ?? ''}`);
  if (event.exit === 'interrupted') return style.fail('  → left by an exception');
  if (event.test !== undefined) return `  → ${event.test}`;
  return '';
}

/** The block's source lines, whole (a test cut at its closing parenthesis reads badly), dedented. */
function excerpt(block: Block | undefined, source: string[]): string[] {
  if (!block || block.kind === 'exit') return [];
  const { start, end } = block.loc;
  const lines = source.slice(start.line - 1, Math.min(end.line, start.line - 1 + MAX_EXCERPT_LINES));
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length));
  const shown = lines.map((l) => truncate(l.slice(Number.isFinite(indent) ? indent : 0).trimEnd(), 100));
  const total = end.line - start.line + 1;
  if (total > MAX_EXCERPT_LINES) shown.push(`… (${total - MAX_EXCERPT_LINES} more lines)`);
  return shown;
}

function outcomeLine(trace: Trace, style: Style): string {
  const outcome = trace.outcome;
  const text = describeOutcome(outcome);
  const at = (outcome.kind === 'error' || outcome.kind === 'fail') && outcome.loc ? ` at ${formatLoc(outcome.loc)}` : '';
  return outcome.kind === 'pass' ? style.pass(text) : style.fail(text + at);
}

/** A test()-style case by its title path; an assertion by its text. */
function caseLabel(testCase: CaseResult['case']): string {
  return testCase.name ?? testCase.source;
}

/** White space around line breaks becomes one space; linear (a regex here backtracked over long runs of spaces). */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
