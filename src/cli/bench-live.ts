// The live progress view of `ldb bench` on a terminal. Loaded with `await import()` only when
// stdout is a TTY, so Ink and React never load for plain runs, CI or `ldb --version`.
import { Box, render, Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { escapeLine } from '../bench/escape.js';
import { etaSeconds, foldProgress, formatDuration, initialProgress, type ProgressDisplay, type ProgressState } from './bench-progress.js';

const BAR_WIDTH = 30;
const SHOWN_IN_FLIGHT = 6;

function BenchView({ state, header }: { state: ProgressState; header: string }): ReactElement {
  const fraction = state.total === 0 ? 0 : state.done / state.total;
  const filled = Math.round(fraction * BAR_WIDTH);
  const seedRate = state.done === 0 ? 0 : (100 * state.seedSolved) / state.done;
  const solvedRate = state.done === 0 ? 0 : (100 * state.solved) / state.done;
  const cost = state.costUsd === null ? 'unknown' : `$${state.costUsd.toFixed(4)}`;
  const flying = state.inFlight.slice(0, SHOWN_IN_FLIGHT).map(escapeLine).join(', ');
  const more = state.inFlight.length > SHOWN_IN_FLIGHT ? ` +${state.inFlight.length - SHOWN_IN_FLIGHT}` : '';
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true }, header),
    h(
      Text,
      null,
      h(Text, { color: 'green' }, '█'.repeat(filled)),
      h(Text, { dimColor: true }, '░'.repeat(BAR_WIDTH - filled)),
      ` ${state.done}/${state.total}  ETA ${formatDuration(etaSeconds(state))}`,
    ),
    h(Text, null, `solved ${state.solved} (${solvedRate.toFixed(1)}%)  seeds passing ${state.seedSolved} (${seedRate.toFixed(1)}%)`),
    h(Text, null, `tokens ${state.tokens}  cost ${cost}`),
    h(Text, { dimColor: true }, `in flight: ${flying || '-'}${more}`),
  );
}

/** Renders the view and re-renders it on each event, at most every 100 ms. */
export function liveProgress(header: string): ProgressDisplay {
  let state = initialProgress();
  const view = (): ReactElement => h(BenchView, { state, header: escapeLine(header) });
  // exitOnCtrlC off: ldb's own SIGINT handler stops the run cleanly and prints the summary.
  const instance = render(view(), { exitOnCtrlC: false, patchConsole: false });
  let pending: NodeJS.Timeout | undefined;
  const flush = (): void => {
    pending = undefined;
    instance.rerender(view());
  };
  const ticker = setInterval(flush, 1000); // the ETA moves even when no problem finishes
  return {
    onEvent(event) {
      state = foldProgress(state, event);
      pending ??= setTimeout(flush, 100);
    },
    async close() {
      clearInterval(ticker);
      if (pending) clearTimeout(pending);
      flush();
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
