import type { SessionState } from './state.js';

/** Fixed pane sizes for a terminal size: the same every frame, so nothing jumps or flickers. */
export interface Layout {
  bodyHeight: number;
  leftWidth: number;
  rightWidth: number;
  variablesHeight: number;
  verdictHeight: number;
  testsHeight: number;
}

export function layoutFor(columns: number, rows: number, state: Pick<SessionState, 'cases' | 'overlay'>): Layout {
  const statusHeight = 2;
  const wantTests = state.overlay === 'tests' ? Math.floor(rows / 2) : Math.min(state.cases.length || 1, rows >= 40 ? 8 : 3);
  const testsHeight = Math.max(1, wantTests);
  const bodyHeight = Math.max(3, rows - statusHeight - testsHeight - 1);
  // The source gets what the variables do not need: at 80 columns a code line still fits.
  const rightWidth = Math.min(80, Math.max(28, Math.floor(columns * 0.36)));
  const leftWidth = Math.max(20, columns - rightWidth);
  const verdictHeight = Math.max(1, Math.floor(bodyHeight / 3));
  const variablesHeight = Math.max(1, bodyHeight - verdictHeight - 2);
  return { bodyHeight, leftWidth, rightWidth, variablesHeight, verdictHeight, testsHeight };
}
