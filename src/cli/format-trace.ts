import { formatLoc } from '../errors.js';
import type { Block } from '../program/model.js';
import type { CaseResult } from '../api.js';
import { describeOutcome, type Trace, type TraceEvent } from '../sandbox/trace.js';
import type { Style } from './style.js';

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
}

/** The block-by-block story of one run: each step's block, its code and the variables after it. */
export function formatTrace(view: TraceView, style: Style): string[] {
  const { trace } = view;
  const lines = [style.bold(`Trace of case ${view.caseNumber}: ${oneLine(view.title ?? trace.test)}`), `  ${outcomeLine(trace, style)}`, ''];
  const blocks = new Map(view.blocks.map((b) => [b.id, b]));
  const sourceLines = view.source.split('\n');
  trace.events.forEach((event, i) => {
    if (trace.truncated && i === trace.droppedAt) {
      lines.push(style.dim(`  … ${trace.dropped} steps not kept (the first and last ${trace.events.length} are shown) …`), '');
    }
    const step = i < trace.droppedAt ? i + 1 : i + 1 + trace.dropped;
    lines.push(...formatEvent(event, step, blocks.get(event.block), sourceLines, style), '');
  });
  if (trace.events.length === 0) lines.push(style.dim('  (no block of the program ran)'), '');
  if (trace.console.length > 0) lines.push(style.bold('Console'), ...trace.console.map((l) => `  ${l}`), '');
  lines.push(`${trace.totalEvents} steps${trace.truncated ? ` (${trace.dropped} not kept)` : ''}`);
  return lines;
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
