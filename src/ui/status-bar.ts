import { Box, Text } from 'ink';
import { createElement as h, useEffect, useState, type ReactElement } from 'react';
import { describeOutcome } from '../sandbox/trace.js';
import { printable } from './highlight.js';
import type { SessionState } from './state.js';
import { totalSteps } from './steps.js';
import type { Theme } from './theme.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface StatusBarProps {
  state: SessionState;
  width: number;
  theme: Theme;
}

/** Two lines: the run and the session (outcome, step, level, model, cost), then a message or the search prompt. */
export function StatusBar({ state, width, theme }: StatusBarProps): ReactElement {
  const trace = state.recording?.trace;
  const outcome = trace ? describeOutcome(trace.outcome) : 'not traced';
  const failed = trace !== undefined && trace.outcome.kind !== 'pass';
  const steps = state.recording ? `step ${state.step + 1}/${totalSteps(state.recording)}` : 'not traced';
  const cost = state.usage.costUsd === null ? 'cost ?' : `$${state.usage.costUsd.toFixed(4)}`;
  const model = state.modelName ? `${state.modelName}  iter ${state.iteration + 1}  ${state.usage.tokens} tok  ${cost}` : 'no model';
  const info = [steps, `case ${state.caseIndex + 1}`, state.level, model].join(' │ ');
  return h(
    Box,
    { flexDirection: 'column', height: 2, width },
    h(
      Text,
      { wrap: 'truncate-end', inverse: true },
      h(Text, { color: failed ? theme.fail : theme.pass }, failed ? ' ✗ ' : trace ? ' ✓ ' : '   '),
      // The spinner comes first: a long model name must not push it off a narrow terminal.
      state.busy ? h(Spinner, { label: state.busy }) : '',
      `${info} │ `,
      h(Text, { color: failed ? theme.fail : undefined }, `${printable(outcome)} `),
    ),
    h(Text, { wrap: 'truncate-end' }, bottomLine(state, theme)),
  );
}

function bottomLine(state: SessionState, theme: Theme): ReactElement | string {
  if (state.prompt) {
    if (state.prompt.kind === 'goto') return h(Text, { color: theme.accent }, `go to step :${state.prompt.text}█  (Enter go, Esc cancel)`);
    const arrow = state.prompt.direction === 1 ? '/' : '\\';
    return h(Text, { color: theme.accent }, `${arrow}${state.prompt.text}█  (Enter search, Tab direction, Esc cancel)`);
  }
  if (state.message) return h(Text, { color: state.message.kind === 'error' ? theme.fail : theme.accent }, printable(state.message.text));
  return h(Text, { color: theme.muted }, 'n/p step  N/P visit  e failure  b break  c/C continue  / search  t tests  v verify  f fix  ? help  q quit');
}

function Spinner({ label }: { label: string }): ReactElement {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % SPINNER.length), 120);
    return () => clearInterval(timer);
  }, []);
  return h(Text, null, `${SPINNER[frame]} ${label} (Esc cancels) │ `);
}
