/** All colours of the terminal output in one place. Off when not a TTY, with NO_COLOR, or --no-color. */
export interface Style {
  pass(text: string): string;
  fail(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  changed(text: string): string;
  block(text: string): string;
  code(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function createStyle(color: boolean): Style {
  if (!color) {
    const plain = (text: string) => text;
    return { pass: plain, fail: plain, dim: plain, bold: plain, changed: plain, block: plain, code: plain };
  }
  return {
    pass: ansi(32, 39),
    fail: ansi(31, 39),
    dim: ansi(2, 22),
    bold: ansi(1, 22),
    changed: ansi(33, 39),
    block: ansi(36, 39),
    code: (text) => text,
  };
}

export function wantsColor(env: NodeJS.ProcessEnv, isTTY: boolean, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY;
}
