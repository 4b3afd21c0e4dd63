import { Box, Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { helpLines } from './keys.js';
import type { Theme } from './theme.js';

/** The key table, made from the bindings themselves. */
export function HelpOverlay(props: { height: number; width: number; theme: Theme }): ReactElement {
  const lines = helpLines();
  return h(
    Box,
    { flexDirection: 'column', height: props.height, width: props.width, overflow: 'hidden' },
    h(Text, { bold: true, color: props.theme.accent }, 'ldb debug: keys (? or Esc closes)'),
    ...lines.map((line, i) => h(Text, { key: i, wrap: 'truncate-end' }, line)),
  );
}
