/**
 * The real CLI in a pseudo-terminal, its output fed to a headless xterm: tests read the screen
 * a person would see, and type keys as a person would.
 */
import { spawn, type IPty } from '@lydell/node-pty';
import xterm from '@xterm/headless';

export class PtyScreen {
  private readonly terminal: InstanceType<typeof xterm.Terminal>;
  private readonly pty: IPty;
  /** Everything the program wrote, escape sequences included. */
  raw = '';
  readonly exited: Promise<number>;

  constructor(args: string[], options: { cols: number; rows: number; env: NodeJS.ProcessEnv; cwd: string }) {
    this.terminal = new xterm.Terminal({ cols: options.cols, rows: options.rows, allowProposedApi: true });
    this.pty = spawn(process.execPath, args, { name: 'xterm-256color', cols: options.cols, rows: options.rows, cwd: options.cwd, env: options.env });
    this.pty.onData((data) => {
      this.raw += data;
      this.terminal.write(data);
    });
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** The screen as text, one line per row, trailing spaces trimmed. */
  text(): string {
    const buffer = this.terminal.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < this.terminal.rows; y++) rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
    return rows.join('\n');
  }

  async waitFor(pattern: RegExp | string, timeoutMs = 90_000): Promise<string> {
    const started = Date.now();
    for (;;) {
      // Let the terminal finish parsing what arrived before reading it.
      await new Promise<void>((resolve) => this.terminal.write('', resolve));
      const screen = this.text();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${pattern}; the screen is:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  press(keys: string): void {
    this.pty.write(keys);
  }

  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
    this.terminal.resize(cols, rows);
  }

  kill(): void {
    try {
      this.pty.kill();
    } catch {
      // already gone
    }
  }
}

export const KEY = { right: '\u001b[C', left: '\u001b[D', enter: '\r', escape: '\u001b', ctrlC: '\u0003' };
