import { Box, Text } from 'ink';
import { createElement as h, memo, useMemo, type ReactElement } from 'react';
import type { Block } from '../program/model.js';
import { printable, tokenizeLine, type Token } from './highlight.js';
import type { JudgedTarget } from './state.js';
import { eventAt, knownRanges, type Recording } from './steps.js';
import type { Theme } from './theme.js';

/** The gutter mark of a line of code that never ran in this run (visible without colour too). */
export const NEVER_RAN = '·';

export interface SourcePaneProps {
  lines: string[];
  blocks: Map<string, Block>;
  recording: Recording | null;
  step: number;
  breakpoints: number[];
  judged: JudgedTarget[] | null;
  height: number;
  width: number;
  theme: Theme;
}

/** The program, scrolled to the current block, with markers for what just ran and what runs next. */
export const SourcePane = memo(function SourcePane(props: SourcePaneProps): ReactElement {
  const { lines, blocks, recording, step, height, width, theme } = props;
  const executed = useMemo(() => executedLines(recording, blocks), [recording, blocks]);
  const code = useMemo(() => codeLines(blocks, lines), [blocks, lines]);
  const starts = useMemo(() => blockStarts(blocks), [blocks]);
  const current = recording ? blocks.get(eventAt(recording, step)?.block ?? '') : undefined;
  const next = recording ? blocks.get(eventAt(recording, step + 1)?.block ?? '') : undefined;
  const focus = current?.loc.start.line ?? 1;
  const top = Math.max(1, Math.min(focus - Math.floor(height / 3), lines.length - height + 1));
  const numberWidth = String(lines.length).length;
  const rows: ReactElement[] = [];
  for (let line = top; line < top + height; line++) {
    if (line > lines.length) {
      rows.push(h(Text, { key: line }, ' '));
      continue;
    }
    const inCurrent = current !== undefined && line >= current.loc.start.line && line <= current.loc.end.line;
    const dim = recording !== null && !executed.has(line);
    // Dimming is lost without colour: a line of code that never ran also gets a mark of its own.
    const neverRan = dim && code.has(line);
    const marker = current && line === current.loc.end.line ? '▶' : next && line === next.loc.start.line ? '→' : neverRan ? NEVER_RAN : ' ';
    const verdict = props.judged?.find((j) => line >= j.lines.start && line <= j.lines.end);
    const verdictMark = verdict ? (verdict.correct ? '✓' : '✗') : ' ';
    const gutter = (starts.get(line) ?? '').slice(0, 10).padEnd(10);
    rows.push(
      h(
        Text,
        { key: line, wrap: 'truncate-end', backgroundColor: inCurrent ? theme.currentBackground : undefined, dimColor: dim && theme.color },
        h(Text, { color: neverRan ? theme.muted : theme.accent }, marker),
        h(Text, { color: theme.fail }, props.breakpoints.includes(line) ? '●' : ' '),
        h(Text, { color: verdict ? (verdict.correct ? theme.pass : theme.fail) : undefined }, verdictMark),
        h(Text, { color: theme.lineNumber }, `${String(line).padStart(numberWidth)} `),
        h(Text, { color: theme.blockId }, `${gutter} `),
        ...codeTokens(printable(lines[line - 1] ?? ''), theme, inCurrent),
      ),
    );
  }
  return h(Box, { flexDirection: 'column', height, width, overflow: 'hidden' }, ...rows);
});

function codeTokens(line: string, theme: Theme, current: boolean): ReactElement[] {
  return tokenizeLine(line).map((token, i) =>
    h(Text, { key: i, color: current && theme.color ? theme.current : colourOf(token, theme) }, token.text),
  );
}

function colourOf(token: Token, theme: Theme): string | undefined {
  switch (token.kind) {
    case 'keyword':
      return theme.keyword;
    case 'string':
      return theme.string;
    case 'number':
      return theme.number;
    case 'comment':
      return theme.comment;
    default:
      return undefined;
  }
}

/** Lines of blocks that ran in the steps known (kept or re-run). */
function executedLines(recording: Recording | null, blocks: Map<string, Block>): Set<number> {
  const lines = new Set<number>();
  if (!recording) return lines;
  const seen = new Set<string>();
  for (const [from, to] of knownRanges(recording)) {
    for (let k = from; k < to; k++) {
      const id = eventAt(recording, k)?.block;
      if (id === undefined || seen.has(id)) continue;
      seen.add(id);
      const block = blocks.get(id);
      if (block) for (let line = block.loc.start.line; line <= block.loc.end.line; line++) lines.add(line);
    }
  }
  return lines;
}

/**
 * Lines that hold code (some block covers them, and they are more than closing brackets): the
 * ones worth marking when they never ran.
 */
function codeLines(blocks: Map<string, Block>, source: string[]): Set<number> {
  const lines = new Set<number>();
  for (const block of blocks.values()) {
    if (block.kind === 'exit') continue;
    for (let line = block.loc.start.line; line <= block.loc.end.line; line++) {
      if (!/^[\s})\];,]*$/.test(source[line - 1] ?? '')) lines.add(line);
    }
  }
  return lines;
}

/** The block ids that start on each line (the gutter). */
function blockStarts(blocks: Map<string, Block>): Map<number, string> {
  const starts = new Map<number, string>();
  for (const block of blocks.values()) {
    if (block.kind === 'exit') continue;
    const line = block.loc.start.line;
    if (!starts.has(line)) starts.set(line, block.id);
  }
  return starts;
}
