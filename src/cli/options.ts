import { parseArgs } from 'node:util';
import { InputError } from '../errors.js';
import { editDistance } from '../text/edit-distance.js';

/**
 * One command-line option, declared once: the `parseArgs` configuration, the validation of its
 * value and its line in the help text are all generated from this record.
 */
export interface OptionSpec {
  /** The long name, without dashes: `time-limit`. */
  name: string;
  short?: string;
  /**
   * flag: a boolean; switch: `--name` and `--no-name` (last one wins, absent is undefined);
   * text: any string; list: a repeatable string; count: a whole number in [min, max];
   * choice: one of `choices`.
   */
  kind: 'flag' | 'switch' | 'text' | 'list' | 'count' | 'choice';
  /** The value's placeholder in the help: `<ms>`. */
  value?: string;
  /** The help text; `\n` starts a continuation line. */
  help: string;
  min?: number;
  max?: number;
  choices?: readonly string[];
}

export type OptionValue = string | string[] | number | boolean | undefined;
export type OptionValues = Readonly<Record<string, OptionValue>>;

export interface ParsedCommandLine {
  values: OptionValues;
  positionals: string[];
}

/** A mistake in how a command was called: exit 2, and the message points at the command's help. */
export class UsageError extends InputError {
  constructor(
    readonly command: string,
    readonly problem: string,
  ) {
    super(`${problem}\nRun 'ldb ${command} --help' for usage.`);
  }
}

/** Parses `argv` against a command's options table; every problem is a UsageError. */
export function parseCommandLine(command: string, options: readonly OptionSpec[], argv: readonly string[]): ParsedCommandLine {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const option of options) {
    const type = option.kind === 'flag' || option.kind === 'switch' ? 'boolean' : 'string';
    config[option.name] = { type, ...(option.short ? { short: option.short } : {}), ...(option.kind === 'list' ? { multiple: true } : {}) };
    if (option.kind === 'switch') config[`no-${option.name}`] = { type: 'boolean' };
  }
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[]; tokens?: unknown[] };
  try {
    parsed = parseArgs({ args: attachDashValues(argv, options), options: config, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError(command, describeParseFailure(error, options));
  }
  const values: Record<string, OptionValue> = {};
  for (const option of options) values[option.name] = readValue(command, option, parsed.values, switchOrder(parsed.tokens, option.name));
  return { values, positionals: parsed.positionals };
}

/**
 * `--time-limit -5` is a value that starts with a dash, which parseArgs calls ambiguous; a
 * number-looking one is attached (`--time-limit=-5`) so that the range check can say what is wrong.
 */
function attachDashValues(argv: readonly string[], options: readonly OptionSpec[]): string[] {
  const takesValue = new Set<string>();
  for (const option of options) {
    if (option.kind === 'flag' || option.kind === 'switch') continue;
    takesValue.add(`--${option.name}`);
    if (option.short) takesValue.add(`-${option.short}`);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (takesValue.has(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** For a switch given both ways, the last one wins, as in most CLIs. */
function switchOrder(tokens: unknown[] | undefined, name: string): boolean | undefined {
  let last: boolean | undefined;
  for (const token of tokens ?? []) {
    const t = token as { kind: string; name?: string };
    if (t.kind !== 'option') continue;
    if (t.name === name) last = true;
    else if (t.name === `no-${name}`) last = false;
  }
  return last;
}

function readValue(
  command: string,
  option: OptionSpec,
  raw: Record<string, string | boolean | (string | boolean)[] | undefined>,
  switched: boolean | undefined,
): OptionValue {
  const value = raw[option.name];
  switch (option.kind) {
    case 'flag':
      return value === true;
    case 'switch':
      return switched;
    case 'list':
      return Array.isArray(value) ? value.map(String) : [];
    case 'text':
      return typeof value === 'string' ? value : undefined;
    case 'count':
      return typeof value === 'string' ? countValue(command, option, value) : undefined;
    case 'choice':
      if (typeof value !== 'string') return undefined;
      if (!option.choices?.includes(value)) {
        throw new UsageError(command, `--${option.name} must be ${listWords(option.choices ?? [])}, got '${value}'`);
      }
      return value;
  }
}

function countValue(command: string, option: OptionSpec, text: string): number {
  const min = option.min ?? 1;
  const max = option.max;
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(value) && value >= min && (max === undefined || value <= max)) return value;
  const expects =
    max !== undefined
      ? `a whole number from ${min} to ${max}`
      : min === 0
        ? 'a whole number (0 or more)'
        : min === 1
          ? 'a positive whole number'
          : `a whole number of at least ${min}`;
  throw new UsageError(command, `--${option.name} expects ${expects}, got '${text}'`);
}

function describeParseFailure(error: unknown, options: readonly OptionSpec[]): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const close = closestOption(flag, options);
    return `unknown option ${flag}${close ? ` (did you mean --${close}?)` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return `${flag} takes no value`;
    const spec = options.find((o) => `--${o.name}` === flag || `-${o.short}` === flag);
    if (/ambiguous/.test(message)) return `${flag} needs a value${spec?.value ? ` ${spec.value}` : ''}; to pass one that starts with '-', write ${flag}=<value>`;
    return `${flag} needs a value${spec?.value ? ` ${spec.value}` : ''}`;
  }
  return message.replace(/^TypeError[^:]*: /, '');
}

function closestOption(flag: string, options: readonly OptionSpec[]): string | undefined {
  const name = flag.replace(/^-+/, '').replace(/=.*$/, '');
  if (name.length < 2) return undefined;
  const names = options.flatMap((o) => (o.kind === 'switch' ? [o.name, `no-${o.name}`] : [o.name]));
  return names.find((candidate) => candidate.startsWith(name) || editDistance(candidate, name) <= 2);
}


function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** The options section of a command's help: one aligned row per option, generated from its table. */
export function formatOptionsHelp(options: readonly OptionSpec[]): string {
  const heads = options.map((option) => {
    const long = option.kind === 'switch' ? `--${option.name}, --no-${option.name}` : `--${option.name}`;
    const names = option.short ? `-${option.short}, ${long}` : `    ${long}`;
    return `  ${names}${option.value ? ` ${option.value}` : ''}`;
  });
  const width = Math.min(30, Math.max(...heads.map((h) => h.length)) + 2);
  const rows: string[] = [];
  options.forEach((option, i) => {
    const head = heads[i]!;
    const [first = '', ...rest] = option.help.split('\n');
    rows.push(head.length + 1 >= width ? `${head}\n${' '.repeat(width)}${first}` : `${head.padEnd(width)}${first}`);
    for (const line of rest) rows.push(`${' '.repeat(width)}${line}`);
  });
  return rows.join('\n');
}
