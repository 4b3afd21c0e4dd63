import { Box, Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { describeOutcome } from '../sandbox/trace.js';
import { printable } from './highlight.js';
import type { CaseView, JudgedTarget } from './state.js';
import type { Theme } from './theme.js';

interface Sized {
  height: number;
  width: number;
  theme: Theme;
}

/** Every case with pass/fail and expected vs actual; the chosen one marked, the cursor when choosing. */
export function TestsPane(props: Sized & { cases: CaseView[]; caseIndex: number; cursor: number | null }): ReactElement {
  const { cases, theme } = props;
  const first = props.cursor === null ? 0 : Math.max(0, Math.min(props.cursor - Math.floor(props.height / 2), cases.length - props.height));
  const rows = cases.slice(first, first + props.height).map((c, i) => {
    const index = first + i;
    const pass = c.outcome.kind === 'pass';
    const pointer = props.cursor === index ? '›' : index === props.caseIndex ? '•' : ' ';
    return h(
      Text,
      { key: index, wrap: 'truncate-end', inverse: props.cursor === index },
      h(Text, { color: theme.accent }, pointer),
      h(Text, { color: pass ? theme.pass : theme.fail }, pass ? ' ✓ ' : ' ✗ '),
      `${index + 1} ${printable(c.source)}  `,
      h(Text, { color: pass ? theme.muted : theme.fail }, pass ? '' : printable(describeOutcome(c.outcome))),
    );
  });
  return h(Box, { flexDirection: 'column', height: props.height, width: props.width, overflow: 'hidden' }, ...rows);
}

/** The model's explanation for the block the current step is in. */
export function VerdictPane(props: Sized & { verdict: JudgedTarget | undefined }): ReactElement {
  const { verdict, theme } = props;
  const body = verdict
    ? h(Text, { wrap: 'wrap', color: verdict.correct ? theme.pass : theme.fail }, `${verdict.correct ? '✓ right' : '✗ wrong'} (${verdict.label}): ${printable(verdict.explanation)}`)
    : h(Text, { color: theme.muted }, 'no verdict for this block');
  return h(Box, { flexDirection: 'column', height: props.height, width: props.width, overflow: 'hidden' }, body);
}

/** The proposed fix as a coloured unified diff. */
export function PatchPane(props: Sized & { diff: string }): ReactElement {
  const { theme } = props;
  const lines = props.diff.split('\n').slice(0, props.height - 1);
  const rows = lines.map((line, i) => {
    const colour = line.startsWith('+') && !line.startsWith('+++') ? theme.diffAdd : line.startsWith('-') && !line.startsWith('---') ? theme.diffRemove : line.startsWith('@@') ? theme.accent : undefined;
    return h(Text, { key: i, color: colour, wrap: 'truncate-end' }, printable(line) || ' ');
  });
  rows.push(h(Text, { key: 'keys', bold: true }, 'a accept (writes the file, keeps .orig)   r reject'));
  return h(Box, { flexDirection: 'column', height: props.height, width: props.width, overflow: 'hidden' }, ...rows);
}
