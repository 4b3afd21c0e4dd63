/**
 * Every key of `ldb debug` in one table: a command, its default keys and what it does. The help
 * overlay (`?`) and the README's key table are made from this table, never written apart.
 */
export type Command =
  | 'next'
  | 'prev'
  | 'nextVisit'
  | 'prevVisit'
  | 'first'
  | 'last'
  | 'failure'
  | 'breakpoint'
  | 'continue'
  | 'reverseContinue'
  | 'searchForward'
  | 'searchBackward'
  | 'goto'
  | 'tests'
  | 'level'
  | 'verify'
  | 'fix'
  | 'accept'
  | 'reject'
  | 'expand'
  | 'help'
  | 'cancel'
  | 'quit';

/** A key as Ink reports it, reduced to what bindings look at. */
export interface KeyPress {
  input: string;
  leftArrow?: boolean;
  rightArrow?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  escape?: boolean;
  return?: boolean;
  ctrl?: boolean;
}

export interface Binding {
  command: Command;
  /** Printable keys, or the names `left`, `right`, `esc`, `ctrl+c`. */
  keys: string[];
  description: string;
}

export const KEY_BINDINGS: readonly Binding[] = [
  { command: 'next', keys: ['n', 'right'], description: 'next step (repeats the search right after one)' },
  { command: 'prev', keys: ['p', 'left'], description: 'previous step' },
  { command: 'nextVisit', keys: ['N'], description: 'next visit of the same block' },
  { command: 'prevVisit', keys: ['P'], description: 'previous visit of the same block' },
  { command: 'first', keys: ['g'], description: 'first step' },
  { command: 'last', keys: ['G'], description: 'last step' },
  { command: 'failure', keys: ['e'], description: 'the step where the run failed' },
  { command: 'breakpoint', keys: ['b'], description: 'toggle a breakpoint on the current line' },
  { command: 'continue', keys: ['c'], description: 'run forward to the next breakpoint' },
  { command: 'reverseContinue', keys: ['C'], description: 'run back to the previous breakpoint' },
  { command: 'searchForward', keys: ['/'], description: 'search the run: /total > 10, /Number.isNaN(x), /word (Tab: backward)' },
  { command: 'searchBackward', keys: ['\\'], description: 'search backward' },
  { command: 'goto', keys: [':'], description: 'go to step number k (anywhere, even in the dropped middle)' },
  { command: 'tests', keys: ['t'], description: 'choose a test case' },
  { command: 'level', keys: ['l'], description: 'switch level: block, line, function' },
  { command: 'verify', keys: ['v'], description: 'verify the blocks with the model' },
  { command: 'fix', keys: ['f'], description: 'ask the model for a fix' },
  { command: 'accept', keys: ['a'], description: 'accept the fix: write the file (keeps <file>.orig), re-run' },
  { command: 'reject', keys: ['r'], description: 'reject the fix' },
  { command: 'expand', keys: ['x'], description: 'expand long values' },
  { command: 'help', keys: ['?', 'h'], description: 'this help' },
  { command: 'cancel', keys: ['esc'], description: 'cancel the model request, close a panel' },
  { command: 'quit', keys: ['q', 'ctrl+c'], description: 'quit' },
];

const byKey = new Map<string, Command>(KEY_BINDINGS.flatMap((b) => b.keys.map((k) => [k, b.command] as const)));

/** The command a key press stands for, if any. */
export function commandFor(key: KeyPress): Command | undefined {
  if (key.ctrl && key.input === 'c') return 'quit';
  if (key.leftArrow) return byKey.get('left');
  if (key.rightArrow) return byKey.get('right');
  if (key.escape) return byKey.get('esc');
  return byKey.get(key.input);
}

/** The help lines: `n →  next step (...)`, one per command, in table order. */
export function helpLines(): string[] {
  return KEY_BINDINGS.map((b) => `${b.keys.map(keyLabel).join(' ').padEnd(10)} ${b.description}`);
}

function keyLabel(key: string): string {
  return key === 'left' ? '←' : key === 'right' ? '→' : key;
}
