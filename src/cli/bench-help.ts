export const BENCH_HELP = `ldb bench — debug every program of a HumanEval-style set and measure pass@1

Usage:
  ldb bench <dataset> --model <spec> [options]
  ldb bench merge <a.jsonl> <b.jsonl> ... --out <all.jsonl>
  ldb bench compare <a.jsonl> <b.jsonl> [--json]
  ldb bench report <results.jsonl> [<other.jsonl>] [--html <report.html>] [--json]

<dataset> is a JSONL file (HumanEvalPack or MultiPL-E records) or a bundled set:
humanevalpack-js, multipl-e-humaneval-js, multipl-e-mbpp-js. The model sees only the visible
tests (the prompt's examples; for problems without any, the first hidden assertion, shown in
the prompt); every hidden test scores. One JSON line per problem is appended to --out as it
finishes; the summary is printed and written as JSON.

Options:
  -m, --model <spec>        openai:gpt-4o-mini, anthropic:<model>, ollama:<model>,
                            openai-compatible:<model>@<url>, exec:<command> (default LDB_MODEL)
  --mode fix|generate|seeds fix: debug the dataset's buggy_solution (HumanEvalPack; default)
                            generate: the model writes the first program from the prompt
                            seeds: debug the programs of --seeds <file>
  --seeds <file>            JSONL of task_id + solution (or completion, program, code) as
                            evalplus writes it, or bigcode-evaluation-harness generations.json
  --method ldb|baseline     ldb (default): trace + block verdicts + fix; baseline: the same
                            loop showing only the failing test and its error (no trace)
  --level line|block|function   Trace granularity for the ldb method (default block)
  --max-iters <n>           Debugging turns per problem (default 10)
  --budget <tokens>         Stop a problem once its model calls used this many tokens
  -j, --concurrency <n>     Problems in parallel (default 1)
  --rpm <n>                 At most n model requests a minute (HTTP providers; 429s back off too)
  --limit <n>               Only the first n problems of the set
  --ids <a,b,...>           Only these task ids
  --shard <i/n>             Only shard i of n (1-based; stable by task id). Without it the
                            shard comes from LDB_SHARD=i/n, a Kubernetes Indexed Job
                            (JOB_COMPLETION_INDEX with LDB_SHARD_COUNT = spec.completions) or a
                            Slurm array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT)
  -o, --out <file>          Results JSONL (default ldb-bench.jsonl); refuses to overwrite
  --resume                  Continue --out: skip finished problems, redo a torn last line
  --summary <file>          Summary JSON (default <out>.summary.json)
  --time-limit <ms>         Time limit per test case (default 3000)
  --problem-timeout <s>     Give up on a problem after this long (default 600)
  --no-cache                Do not use the on-disk response cache (LDB_CACHE_DIR)
  --json                    Print the summary as JSON (and no live display)
  -h, --help                Show this help

Ctrl-C stops cleanly: problems in flight are dropped (--resume redoes them) and the summary so
far is printed; a second Ctrl-C quits at once. Exit status: 0 done, 130 interrupted, 2 bad usage.

Examples:
  ldb bench humanevalpack-js -m openai:gpt-4o-mini -j 4 -o ldb.jsonl
  ldb bench humanevalpack-js -m openai:gpt-4o-mini -j 4 --method baseline -o baseline.jsonl
  ldb bench compare ldb.jsonl baseline.jsonl
  ldb bench report ldb.jsonl baseline.jsonl --html report.html
`;
