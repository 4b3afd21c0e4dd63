import type { LimitsInput } from '../sandbox/limits.js';
import type { OptionSpec, OptionValues } from './options.js';

/** The tests of a program, as both `trace` and `fix` take them. */
export const TEST_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'tests',
    kind: 'text',
    value: '<file>',
    help: 'A test script: top-level assertions (assert.*, console.assert), or a\ntest function that the script calls (HumanEval / MultiPL-E style)',
  },
  {
    name: 'test',
    kind: 'list',
    value: '<assertion>',
    help: "One assertion, e.g. --test 'assert.strictEqual(sumTo(3), 6)';\nrepeatable; may be combined with --tests",
  },
];

/** The sandbox's limits; ranges as resolveLimits and isolated-vm accept them. */
export const LIMIT_OPTIONS: readonly OptionSpec[] = [
  { name: 'time-limit', kind: 'count', value: '<ms>', min: 1, help: 'Time limit per test case, in milliseconds (default 3000)' },
  {
    name: 'memory-limit',
    kind: 'count',
    value: '<mb>',
    min: 8,
    max: 16384,
    help: 'Memory limit of the sandbox, in MB (default 128, from 8 to 16384)',
  },
  {
    name: 'max-events',
    kind: 'count',
    value: '<n>',
    min: 2,
    help: 'Steps kept per trace: the first fifth and the last ones (default 1000)',
  },
];

export const ENTRY_OPTION: OptionSpec = { name: 'entry', kind: 'text', value: '<name>', help: 'The function the tests call; checked before anything runs' };
export const JSON_OPTION: OptionSpec = { name: 'json', kind: 'flag', help: 'Print the machine-readable report (errors too, as {"error": ...})' };
export const COLOR_OPTION: OptionSpec = {
  name: 'color',
  kind: 'switch',
  help: 'Force colours on or off (default: on for a terminal, off with NO_COLOR)',
};
export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', kind: 'flag', help: 'Show this help' };

export function limitsFrom(values: OptionValues): LimitsInput {
  return {
    timeMs: values['time-limit'] as number | undefined,
    memoryMb: values['memory-limit'] as number | undefined,
    maxEvents: values['max-events'] as number | undefined,
  };
}

/** The one place that reads LDB_MODEL: the --model flag, else the environment's default. */
export function modelSpecFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = env.LDB_MODEL;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}
