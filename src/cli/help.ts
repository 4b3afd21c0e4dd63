export const MAIN_HELP = `ldb — a step-through debugger for generated JavaScript and TypeScript

Usage:
  ldb <command> [options]

Commands:
  trace <file>     Run the tests on a program, then show the block-by-block trace of a failing case

Options:
  -h, --help       Show help (also: ldb <command> --help)
  -v, --version    Show the version

Run 'ldb trace --help' for the options of a command.
`;

export const TRACE_HELP = `ldb trace — run tests on a program and show a block-by-block trace

Usage:
  ldb trace <file> --tests <file> [options]
  ldb trace <file> --test '<assertion>' [--test '<assertion>' ...] [options]

<file> is a JavaScript or TypeScript program (.js .mjs .cjs .jsx .ts .mts .cts .tsx).
Every assertion in the tests is run on its own, in a fresh sandbox (isolated-vm); then the
trace of the first failing case is shown: each step's block id, its source lines, the code,
and the variables after the block ran (changed ones marked with *).

Options:
  --tests <file>        A test script: top-level assertions (assert.*, console.assert), or a
                        test function that the script calls (HumanEval / MultiPL-E style)
  --test <assertion>    One assertion, e.g. --test 'assert.strictEqual(sumTo(3), 6)';
                        repeatable; may be combined with --tests
  --case <n>            Trace case n (1-based, as listed) instead of the first failing one
  --json                Print the machine-readable report (cases, outcomes, trace, blocks)
  --time-limit <ms>     Time limit per case, in milliseconds (default 3000)
  --memory-limit <mb>   Memory limit of the sandbox, in MB (default 128, minimum 8)
  --max-events <n>      Steps kept per trace: the first fifth and the last ones (default 1000)
  --no-color            Plain output (also when NO_COLOR is set or stdout is not a terminal)
  -h, --help            Show this help

Exit status:
  0  every case passed
  1  some case failed (assertion, error, timeout or memory limit)
  2  bad usage, unreadable file, or a syntax error in the program or the tests

Examples:
  ldb trace fixtures/js/off-by-one-sum.js --tests fixtures/js/off-by-one-sum.test.js
  ldb trace sum.ts --test 'assert.strictEqual(sumTo(3), 6)' --json
`;
