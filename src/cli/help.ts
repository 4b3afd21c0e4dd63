export const MAIN_HELP = `ldb — a step-through debugger for generated JavaScript and TypeScript

Usage:
  ldb <command> [options]

Commands:
  trace <file>     Run the tests on a program, then show the block-by-block trace of a failing case
  fix <file>       Debug a program with an LLM (LDB): trace a failing case, verify blocks, patch, repeat
  debug <file>     Step through a test's recorded run in a full-screen terminal UI (with an LLM if given)

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
  --entry <name>        The function the tests call; checked before anything runs
  --no-color            Plain output (also when NO_COLOR is set or stdout is not a terminal)
  -h, --help            Show this help

Exit status:
  0  every case passed
  1  some case failed (assertion, error, timeout or memory limit)
  2  bad usage, unreadable file, a file that is not a program (empty, binary, another
     language), a syntax error in the program or the tests, or a missing --entry function

Examples:
  ldb trace fixtures/js/off-by-one-sum.js --tests fixtures/js/off-by-one-sum.test.js
  ldb trace sum.ts --test 'assert.strictEqual(sumTo(3), 6)' --json
`;

export const FIX_HELP = `ldb fix — debug a program with an LLM, the LDB way

Usage:
  ldb fix <file> --tests <file> --model <spec> [options]

Each iteration runs the visible tests; if one fails, ldb traces it block by block, asks the
model to judge each block against the task (JSON verdicts), asks for a corrected program (the
wrong blocks named), and tests that. It stops when every test passes, at --max-iters, at the
token budget, or when the model repeats a program. The best program (most tests passed) wins.

Options:
  --tests <file>        Test script (as for 'ldb trace'); --test '<assertion>' is repeatable too
  -m, --model <spec>    openai:<model>, anthropic:<model>, ollama:<model>,
                        openai-compatible:<model>@<base-url>, exec:<command>  (default: $LDB_MODEL)
  --level <level>       line, block (default) or function: how finely the trace is judged
  --max-iters <n>       Debugging turns (default 10)
  --budget <tokens>     Stop after this many prompt + completion tokens
  --prompt <file>       The task description the program was written for (default: none; the
                        program's own doc comments are part of the code the model reads)
  --entry <name>        The function the tests call; every patch must still define it
  --write               Replace <file> with the fixed program, only if it passes every visible
                        test; the original is kept as <file>.orig
  --json                Print the whole result as JSON (iterations, verdicts, patches, usage)
  --no-cache            Do not use the on-disk response cache (~/.cache/ldb, or $LDB_CACHE_DIR)
  --time-limit <ms>     Time limit per test case (default 3000)
  --retries <n>         Retries of a model request on 429, 5xx and timeouts (default 4)
  --request-timeout <ms>  Time limit of one model request (default 120000)
  --no-color            Plain output
  -h, --help            Show this help

Environment:
  OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, OLLAMA_HOST, LDB_MODEL, LDB_CACHE_DIR, LDB_PRICES

Exit status: 0 fixed, 1 not fixed, 2 bad usage, unreadable file or model error (missing key,
unreachable server).
`;
