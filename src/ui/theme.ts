/**
 * All colours of the debugger in one place. With NO_COLOR (or --no-color) every colour is
 * undefined, so Ink prints plain text; emphasis that carries meaning also has a text marker
 * (`▶`, `←`, `✗`), so nothing is lost without colour.
 */
export interface Theme {
  color: boolean;
  keyword?: string;
  string?: string;
  number?: string;
  comment?: string;
  lineNumber?: string;
  blockId?: string;
  current?: string;
  currentBackground?: string;
  changed?: string;
  pass?: string;
  fail?: string;
  muted?: string;
  accent?: string;
  diffAdd?: string;
  diffRemove?: string;
  border?: string;
}

const COLOURS: Theme = {
  color: true,
  keyword: 'magenta',
  string: 'green',
  number: 'yellow',
  comment: 'gray',
  lineNumber: 'gray',
  blockId: 'cyan',
  current: 'whiteBright',
  currentBackground: 'blue',
  changed: 'yellow',
  pass: 'green',
  fail: 'red',
  muted: 'gray',
  accent: 'cyan',
  diffAdd: 'green',
  diffRemove: 'red',
  border: 'gray',
};

export function createTheme(env: NodeJS.ProcessEnv, colorFlag?: boolean): Theme {
  const off = colorFlag === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  return off ? { color: false } : COLOURS;
}
