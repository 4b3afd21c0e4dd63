import { Box, Text } from 'ink';
import { createElement as h, memo, type ReactElement } from 'react';
import type { Block } from '../program/model.js';
import { printable } from './highlight.js';
import { eventAt, previousValue, totalSteps, type Recording } from './steps.js';
import type { Theme } from './theme.js';

export interface VariablesPaneProps {
  recording: Recording | null;
  step: number;
  blocks: Map<string, Block>;
  expanded: boolean;
  loading: boolean;
  height: number;
  width: number;
  theme: Theme;
}

/** The values after the current step; the ones it changed highlighted with what they were. */
export const VariablesPane = memo(function VariablesPane(props: VariablesPaneProps): ReactElement {
  const { recording, step, theme, width } = props;
  const rows: ReactElement[] = [];
  const event = recording ? eventAt(recording, step) : undefined;
  if (!recording) {
    rows.push(h(Text, { key: 'none', color: theme.muted }, 'no trace yet'));
  } else if (!event) {
    const why = props.loading ? 're-running the case to record it' : 'not recorded yet';
    rows.push(h(Text, { key: 'loading', color: theme.muted, wrap: 'wrap' }, `step ${step + 1} of ${totalSteps(recording)}: ${why} …`));
  } else {
    const block = props.blocks.get(event.block);
    // The block id is in the source gutter; here the call: function, depth, line.
    const line = block ? ` line ${block.loc.start.line}` : ` ${event.block}`;
    rows.push(h(Text, { key: 'where', wrap: 'truncate-end', bold: true }, `${block?.fn ?? '?'}() depth ${event.depth}${line}`));
    if (event.test !== undefined) rows.push(h(Text, { key: 'test', color: theme.muted }, `test → ${event.test}`));
    for (const [name, value] of Object.entries(event.vars)) {
      const changed = event.changed.includes(name);
      const before = changed ? previousValue(recording, step, name) : undefined;
      const text = `${name}: ${printable(value)}${before !== undefined && before !== value ? ` ← ${printable(before)}` : ''}`;
      rows.push(
        h(
          Text,
          // The key carries the wrap mode: Ink keeps a text's measured height when only its wrap
          // changes, which left the rows of an expanded value blank after collapsing it.
          { key: `v-${name}-${props.expanded}`, color: changed ? theme.changed : undefined, bold: changed, wrap: props.expanded ? 'wrap' : 'truncate-end' },
          changed && !theme.color ? `*${text}` : text,
        ),
      );
    }
    if (event.exit === 'return' || event.exit === 'throw') {
      const verb = event.exit === 'return' ? 'returns' : 'throws';
      rows.push(
        h(Text, { key: `exit-${props.expanded}`, color: event.exit === 'throw' ? theme.fail : theme.accent, wrap: props.expanded ? 'wrap' : 'truncate-end' }, `${verb} ${printable(event.value ?? '')}`),
      );
    } else if (event.exit === 'interrupted') {
      rows.push(h(Text, { key: 'exit', color: theme.fail }, 'left by an exception'));
    }
  }
  // Never more rows than the pane has: Ink would squeeze them on top of each other.
  const shown = rows.length > props.height ? [...rows.slice(0, props.height - 1), h(Text, { key: 'more', color: theme.muted }, `… ${rows.length - props.height + 1} more`)] : rows;
  return h(Box, { flexDirection: 'column', height: props.height, width, overflow: 'hidden' }, ...shown);
});
