import { Box, Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { helpLines } from './keys.js';
import type { Theme } from './theme.js';

/** The key table, made from the bindings themselves, in as many columns as the height needs. */
export function HelpOverlay(props: { height: number; width: number; theme: Theme }): ReactElement {
  const lines = helpLines();
  const perColumn = Math.max(1, props.height - 1);
  const columns: string[][] = [];
  for (let i = 0; i < lines.length; i += perColumn) columns.push(lines.slice(i, i + perColumn));
  const columnWidth = Math.floor(props.width / columns.length);
  return h(
    Box,
    { flexDirection: 'column', height: props.height, width: props.width, overflow: 'hidden' },
    h(Text, { bold: true, color: props.theme.accent }, 'ldb debug: keys (? or Esc closes)'),
    h(
      Box,
      { flexDirection: 'row' },
      ...columns.map((column, c) =>
        h(Box, { key: c, flexDirection: 'column', width: columnWidth }, ...column.map((line, i) => h(Text, { key: i, wrap: 'truncate-end' }, line))),
      ),
    ),
  );
}
