import { render } from 'ink';
import { createElement as h } from 'react';
import { App } from './app.js';
import { SessionController, type SessionInputs } from './controller.js';
import { initialState } from './state.js';
import { createTheme } from './theme.js';

export interface RunDebuggerOptions extends SessionInputs {
  code: string;
  /** Run the whole debug() loop live (needs a model). */
  auto?: { maxIterations: number };
  color?: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

/**
 * Opens the debugger full-screen and resolves when the user quits. The terminal gets its normal
 * screen back on every way out: q, Ctrl-C, a signal, an uncaught error.
 */
export async function runDebugger(options: RunDebuggerOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (stdout.writable) stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
  };
  // The terminal went away (a closed window): nothing left to draw on, nothing to report.
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EIO' && error.code !== 'EPIPE') throw error;
  });
  stdout.write(ENTER_ALTERNATE_SCREEN);
  let controller: SessionController | undefined;
  const instance = render(
    h(App, {
      initial: { ...initialState(options.file, options.modelSpec ?? options.env.LDB_MODEL ?? null), code: options.code, lines: options.code.split('\n'), level: options.level },
      theme: createTheme(options.env, options.color),
      connect: (dispatch, getState) => (controller = new SessionController(options, dispatch, getState)),
      onReady: (ready) => void startSession(ready, options),
    }),
    { stdout, stdin: options.stdin ?? process.stdin, exitOnCtrlC: false, patchConsole: true, maxFps: 60 },
  );
  const onSignal = () => instance.unmount();
  const onCrash = (error: unknown) => {
    instance.unmount();
    restore();
    throw error;
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  process.once('exit', restore);
  process.once('uncaughtException', onCrash);
  try {
    await instance.waitUntilExit();
  } finally {
    controller?.dispose();
    instance.cleanup();
    restore();
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('exit', restore);
    process.off('uncaughtException', onCrash);
  }
  return 0;
}

async function startSession(controller: SessionController, options: RunDebuggerOptions): Promise<void> {
  try {
    await controller.start(options.code, options.caseNumber !== undefined ? options.caseNumber - 1 : undefined);
    if (options.auto) await controller.auto(options.auto.maxIterations);
  } catch (error) {
    controller.report(error);
  }
}
