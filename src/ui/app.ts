import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { createElement as h, useEffect, useReducer, useRef, useState, type ReactElement } from 'react';
import type { SessionController } from './controller.js';
import { HelpOverlay } from './help-overlay.js';
import { commandFor, type Command } from './keys.js';
import { layoutFor } from './layout.js';
import { PatchPane, TestsPane, VerdictPane } from './side-panes.js';
import { SourcePane } from './source-pane.js';
import { currentBlock, needsWindow, reduce, type Action, type SessionState } from './state.js';
import { StatusBar } from './status-bar.js';
import type { Theme } from './theme.js';
import { VariablesPane } from './variables-pane.js';

export interface AppProps {
  initial: SessionState;
  theme: Theme;
  /** Made once the reducer exists: the controller dispatches into it and reads its state. */
  connect(dispatch: (action: Action) => void, getState: () => SessionState): SessionController;
  /** Runs once the first frame is on screen (tracing, --auto). */
  onReady(controller: SessionController): void;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: { columns: number; rows: number };
}

export function App(props: AppProps): ReactElement {
  const [state, dispatchToReact] = useReducer(reduce, props.initial);
  // The latest state, ahead of React: keys typed faster than frames (a paste, a pty) each see
  // the state the previous key left, not the last rendered one.
  const stateRef = useRef(state);
  const dispatch = useRef((action: Action) => {
    stateRef.current = reduce(stateRef.current, action);
    dispatchToReact(action);
  }).current;
  const controllerRef = useRef<SessionController | null>(null);
  controllerRef.current ??= props.connect(dispatch, () => stateRef.current);
  const controller = controllerRef.current;
  const { exit } = useApp();
  const terminal = useTerminalSize(props.size);
  // One row short of the terminal: Ink clears the whole screen on every frame that fills it.
  const size = { columns: terminal.columns, rows: Math.max(8, terminal.rows - 1) };

  useEffect(() => props.onReady(controller), []);
  useEffect(() => {
    if (needsWindow(state) && !state.busy) void controller.loadWindow();
  }, [state.step, state.recording, state.busy]);

  useInput((input, key) => {
    // Keys typed faster than Ink reads them (a paste, a pty) arrive as one string: one key each.
    if (input.length > 1 && !key.ctrl && !key.meta) {
      for (const char of input) handleKey(char, { ...key, return: char === '\r', tab: char === '\t' });
      return;
    }
    handleKey(input, key);
  });

  function handleKey(input: string, key: InkKey): void {
    const current = stateRef.current;
    if (current.prompt) return promptKey(input, key, current, dispatch, controller);
    const command = commandFor({ input, ...key });
    if (current.overlay === 'tests') return testsKey(key, command, current, dispatch, controller);
    if (command === undefined) return;
    runCommand(command, current, dispatch, controller, exit);
  }

  const layout = layoutFor(size.columns, size.rows, state);
  const block = currentBlock(state);
  const verdict = block ? state.judged?.find((j) => block.loc.start.line <= j.lines.end && block.loc.end.line >= j.lines.start) : undefined;
  const theme = props.theme;
  const main =
    state.overlay === 'help'
      ? h(HelpOverlay, { height: layout.bodyHeight, width: size.columns, theme })
      : h(
          Box,
          { flexDirection: 'row', height: layout.bodyHeight },
          state.patch
            ? h(PatchPane, { diff: state.patch.diff, height: layout.bodyHeight, width: layout.leftWidth, theme })
            : h(SourcePane, { lines: state.lines, blocks: state.blocks, recording: state.recording, step: state.step, breakpoints: state.breakpoints, judged: state.judged, height: layout.bodyHeight, width: layout.leftWidth, theme }),
          h(
            Box,
            { flexDirection: 'column', width: layout.rightWidth, paddingLeft: 1 },
            header('Variables', layout.rightWidth - 1, theme),
            h(VariablesPane, { recording: state.recording, step: state.step, blocks: state.blocks, expanded: state.expanded, loading: state.busy !== null, height: layout.variablesHeight, width: layout.rightWidth - 1, theme }),
            header('Verdict', layout.rightWidth - 1, theme),
            h(VerdictPane, { verdict, height: layout.verdictHeight, width: layout.rightWidth - 1, theme }),
          ),
        );
  return h(
    Box,
    { flexDirection: 'column', width: size.columns, height: size.rows },
    main,
    header(state.overlay === 'tests' ? 'Tests (↑/↓ choose, Enter trace, Esc close)' : 'Tests', size.columns, theme),
    h(TestsPane, { cases: state.cases, caseIndex: state.caseIndex, cursor: state.overlay === 'tests' ? state.testsCursor : null, height: layout.testsHeight, width: size.columns, theme }),
    h(StatusBar, { state, width: size.columns, theme }),
  );
}

function header(title: string, width: number, theme: Theme): ReactElement {
  return h(Text, { color: theme.border, wrap: 'truncate-end' }, `── ${title} ${'─'.repeat(Math.max(0, width - title.length - 4))}`);
}

function runCommand(command: Command, state: SessionState, dispatch: (a: Action) => void, controller: SessionController, exit: () => void): void {
  switch (command) {
    case 'quit':
      controller.dispose();
      return exit();
    case 'next':
      if (state.repeatSearch && state.lastSearch) return void controller.search(state.lastSearch.text, state.lastSearch.direction);
      return dispatch({ type: 'command', command });
    case 'searchForward':
      return dispatch({ type: 'promptOpen', kind: 'search', direction: 1 });
    case 'searchBackward':
      return dispatch({ type: 'promptOpen', kind: 'search', direction: -1 });
    case 'goto':
      return dispatch({ type: 'promptOpen', kind: 'goto', direction: 1 });
    case 'tests':
      return dispatch({ type: 'overlay', overlay: 'tests' });
    case 'level':
      return void controller.switchLevel();
    case 'verify':
      return void controller.verify();
    case 'fix':
      return void controller.fix();
    case 'accept':
      return void controller.accept();
    case 'reject':
      return void controller.reject();
    case 'cancel':
      controller.cancel();
      return dispatch({ type: 'command', command });
    default:
      return dispatch({ type: 'command', command });
  }
}

type InkKey = Parameters<Parameters<typeof useInput>[0]>[1];

function promptKey(input: string, key: InkKey, state: SessionState, dispatch: (a: Action) => void, controller: SessionController): void {
  const prompt = state.prompt!;
  if (key.escape) return dispatch({ type: 'promptClose' });
  if (key.tab) return dispatch({ type: 'promptDirection' });
  if (key.return) {
    dispatch({ type: 'promptClose' });
    if (prompt.kind === 'goto') return dispatch(gotoAction(prompt.text));
    return void controller.search(prompt.text, prompt.direction);
  }
  if (key.backspace || key.delete) return dispatch({ type: 'promptText', text: prompt.text.slice(0, -1) });
  if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
  dispatch({ type: 'promptText', text: prompt.text + input });
}

/** `:600000` goes to step 600000 (1-based, as the status bar counts). */
function gotoAction(text: string): Action {
  const step = Number(text.trim().replace(/_/g, ''));
  if (!Number.isInteger(step) || step < 1) return { type: 'message', text: `:${text} is not a step number`, kind: 'error' };
  return { type: 'goto', step: step - 1 };
}

function testsKey(key: InkKey, command: Command | undefined, state: SessionState, dispatch: (a: Action) => void, controller: SessionController): void {
  if (key.upArrow) return dispatch({ type: 'testsCursor', delta: -1 });
  if (key.downArrow) return dispatch({ type: 'testsCursor', delta: 1 });
  if (key.return) {
    dispatch({ type: 'overlay', overlay: 'none' });
    return void controller.traceCase(state.testsCursor);
  }
  if (command === 'cancel' || command === 'tests') dispatch({ type: 'overlay', overlay: 'none' });
}

/** The terminal's size, following resizes (Ink re-renders on resize; the state here makes the layout follow). */
function useTerminalSize(fixed?: { columns: number; rows: number }): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);
  return size;
}
