/**
 * Every `ldb` command, in the order the main help lists them.
 *
 * To add a command: write `src/cli/<name>-command.ts` exporting `run<Name>: CommandRun` (it gets
 * the parsed options and a CliIO, returns the exit code, throws LdbError for bad input), then add
 * one entry below: name, synopsis, summary, usage, its options table (reuse the shared options of
 * common-options.ts and end with HELP_OPTION), and `load: async () => (await import('./<name>-command.js')).run<Name>`.
 * The help text and the flag parsing are generated from the table; `--help` is handled for you,
 * and so are errors under `--json` when the table has a `json` option. Keep heavy imports inside
 * the command module: this file is loaded by `ldb --version`.
 */
import { bench } from './bench-options.js';
import type { Command } from './command.js';
import { MCP_COMMAND } from './mcp-options.js';
import {
  COLOR_OPTION,
  ENTRY_OPTION,
  HELP_OPTION,
  JSON_OPTION,
  LIMIT_OPTIONS,
  MODEL_FOOTER,
  MODEL_OPTIONS,
  TEST_OPTIONS,
} from './common-options.js';

const trace: Command = {
  name: 'trace',
  synopsis: 'trace <file>',
  summary: 'Run the tests on a program, then show the block-by-block trace of a failing case',
  usage: ['trace <file> --tests <file> [options]', "trace <file> --test '<assertion>' [--test '<assertion>' ...] [options]"],
  description: `<file> is a JavaScript or TypeScript program (.js .mjs .cjs .jsx .ts .mts .cts .tsx).
Every assertion in the tests is run on its own, in a fresh sandbox (isolated-vm); then the
trace of the first failing case is shown: each step's block id, its source lines, the code,
and the variables after the block ran (changed ones marked with *). Repeated iterations of a
long loop are collapsed as in the model's view; --all-steps shows every step kept.`,
  options: [
    ...TEST_OPTIONS,
    { name: 'case', kind: 'count', value: '<n>', help: 'Trace case n (1-based, as listed) instead of the first failing one' },
    { ...JSON_OPTION, help: 'Print the machine-readable report (cases, outcomes, trace, blocks;\nlines, columns and case numbers 1-based); errors as {"error": ...}' },
    { name: 'all-steps', kind: 'flag', help: 'Show every step kept, without collapsing repeated loop iterations' },
    ...LIMIT_OPTIONS,
    ENTRY_OPTION,
    COLOR_OPTION,
    HELP_OPTION,
  ],
  footer: `Exit status:
  0  every case passed
  1  some case failed (assertion, error, timeout or memory limit)
  2  bad usage, unreadable file, a file that is not a program (empty, binary, another
     language), a syntax error in the program or the tests, or a missing --entry function
  3  an internal error of ldb (please report it)

Examples:
  ldb trace fixtures/js/off-by-one-sum.js --tests fixtures/js/off-by-one-sum.test.js
  ldb trace sum.ts --test 'assert.strictEqual(sumTo(3), 6)' --json`,
  load: async () => (await import('./trace-command.js')).runTrace,
};

const fix: Command = {
  name: 'fix',
  synopsis: 'fix <file>',
  summary: 'Debug a program with an LLM (LDB): trace a failing case, verify blocks, patch, repeat',
  usage: ['fix <file> --tests <file> --model <spec> [options]'],
  description: `Each iteration runs the visible tests; if one fails, ldb traces it block by block, asks the
model to judge each block against the task (JSON verdicts), asks for a corrected program (the
wrong blocks named), and tests that. It stops when every test passes, at --max-iters, at the
token budget, or when the model repeats a program. The best program (most tests passed) wins.`,
  options: [
    ...TEST_OPTIONS,
    ...MODEL_OPTIONS,
    { name: 'level', kind: 'choice', value: '<level>', choices: ['line', 'block', 'function'], help: 'line, block (default) or function: how finely the trace is judged' },
    { name: 'max-iters', kind: 'count', value: '<n>', help: 'Debugging turns (default 10)' },
    { name: 'budget', kind: 'count', value: '<tokens>', help: 'Stop after this many prompt + completion tokens' },
    {
      name: 'prompt',
      kind: 'text',
      value: '<file>',
      help: "The task description the program was written for (default: none; the\nprogram's own doc comments are part of the code the model reads)",
    },
    { ...ENTRY_OPTION, help: 'The function the tests call; checked before any model call, and every\npatch must still define it' },
    {
      name: 'write',
      kind: 'flag',
      help: 'Replace <file> with the fixed program, only if it passes every visible\ntest; the original is kept as <file>.orig',
    },
    { ...JSON_OPTION, help: 'Print the whole result as JSON (iterations, verdicts, patches, usage);\nerrors as {"error": ...}' },
    ...LIMIT_OPTIONS,
    COLOR_OPTION,
    HELP_OPTION,
  ],
  footer: `${MODEL_FOOTER}

Exit status: 0 fixed, 1 not fixed, 2 bad usage, unreadable file or model error (missing key,
unreachable server), 3 an internal error of ldb.`,
  load: async () => (await import('./fix-command.js')).runFix,
};

const debug: Command = {
  name: 'debug',
  synopsis: 'debug <file>',
  summary: "Step through a test's recorded run in a full-screen terminal UI (with an LLM if given)",
  usage: ['debug <file> --tests <file> [options]'],
  description: `Opens the recorded run of a test case (by default the first failing one) full-screen:
the source with the current block, the variables after each step (changed ones with their
previous value), the tests, the model's verdicts and its patch. Steps anywhere in the run, even
in the middle of a run longer than the trace cap (by re-running the case deterministically).
Without a terminal (or with --no-tui) it prints the report of 'ldb trace', with its exit codes.

Keys: n/→ next, p/← previous, N/P next/previous visit of the block, g/G first/last,
e failure, b breakpoint, c/C continue forward/back, / search (Tab: backward), : go to step,
t tests, l level, v verify, f fix, a accept, r reject, x expand, ? help, q quit.`,
  options: [
    ...TEST_OPTIONS,
    { name: 'case', kind: 'count', value: '<n>', help: 'Open case n (1-based, as listed) instead of the first failing one' },
    ...MODEL_OPTIONS,
    { name: 'level', kind: 'choice', value: '<level>', choices: ['line', 'block', 'function'], help: 'line, block (default) or function' },
    { name: 'auto', kind: 'flag', help: 'Run the whole debug loop live in the UI (needs a model)' },
    { name: 'max-iters', kind: 'count', value: '<n>', help: 'Debugging turns of --auto (default 10)' },
    { name: 'tui', kind: 'switch', help: "--no-tui prints the report of 'ldb trace' instead of the UI" },
    ...LIMIT_OPTIONS,
    ENTRY_OPTION,
    COLOR_OPTION,
    HELP_OPTION,
  ],
  footer: MODEL_FOOTER,
  load: async () => (await import('./debug-command.js')).runDebug,
};

export const COMMANDS: readonly Command[] = [trace, fix, debug, bench, MCP_COMMAND];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
