// The `ldb bench` entry of the command table: its options (help and parsing are generated from
// them), its help text, and its module, loaded when it runs. Kept light: `ldb --version` loads it.
import type { Command } from './command.js';
import { HELP_OPTION, JSON_OPTION, MODEL_FOOTER, MODEL_OPTIONS } from './common-options.js';

export const bench: Command = {
  name: 'bench',
  synopsis: 'bench <dataset>',
  summary: 'Debug every program of a benchmark set; resumable, shardable; merge, compare, report',
  usage: [
    'bench <dataset> --model <spec> [options]',
    'bench merge <a.jsonl> <b.jsonl> ... --out <all.jsonl>',
    'bench compare <a.jsonl> <b.jsonl> [--json]',
    'bench report <results.jsonl> [<other.jsonl>] [--html <report.html>] [--json]',
  ],
  description: `<dataset> is a JSONL file (HumanEvalPack or MultiPL-E records) or a bundled set:
humanevalpack-js, multipl-e-humaneval-js, multipl-e-mbpp-js. The model sees only the visible
tests (the prompt's examples; for problems without any, the first hidden assertion, shown in
the prompt); every hidden test scores. One JSON line per problem is appended to --out as it
finishes; the summary is printed and written as JSON. Without --shard, the shard comes from
LDB_SHARD=i/n, a Kubernetes Indexed Job (JOB_COMPLETION_INDEX with LDB_SHARD_COUNT set to the
Job's completions) or a Slurm array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT).`,
  options: [
    ...MODEL_OPTIONS,
    { name: 'mode', kind: 'choice', value: '<mode>', choices: ['fix', 'generate', 'seeds'], help: "fix: debug the dataset's buggy_solution (default); generate: the model\nwrites the first program; seeds: debug the programs of --seeds" },
    { name: 'seeds', kind: 'text', value: '<file>', help: 'JSONL of task_id + solution (or completion) as evalplus writes it, or\nbigcode-evaluation-harness generations.json' },
    { name: 'method', kind: 'choice', value: '<method>', choices: ['ldb', 'baseline'], help: 'ldb (default): trace + verdicts + fix; baseline: the same loop showing\nonly the failing test and its error' },
    { name: 'level', kind: 'choice', value: '<level>', choices: ['line', 'block', 'function'], help: 'Trace granularity for the ldb method (default block)' },
    { name: 'max-iters', kind: 'count', value: '<n>', help: 'Debugging turns per problem (default 10)' },
    { name: 'budget', kind: 'count', value: '<tokens>', help: 'Stop a problem once its model calls used this many tokens' },
    { name: 'concurrency', short: 'j', kind: 'count', value: '<n>', min: 1, help: 'Problems in parallel (default 1)' },
    { name: 'rpm', kind: 'count', value: '<n>', min: 1, help: 'At most n model requests a minute (HTTP providers)' },
    { name: 'limit', kind: 'count', value: '<n>', min: 1, help: 'Only the first n problems of the set' },
    { name: 'ids', kind: 'text', value: '<a,b,...>', help: 'Only these task ids' },
    { name: 'shard', kind: 'text', value: '<i/n>', help: 'Only shard i of n (1-based, stable by task id)' },
    { name: 'out', short: 'o', kind: 'text', value: '<file>', help: 'Results JSONL (default ldb-bench.jsonl; never overwritten); for merge:\nthe merged file' },
    { name: 'resume', kind: 'flag', help: 'Continue --out: skip finished problems, redo a torn last line' },
    { name: 'summary', kind: 'text', value: '<file>', help: 'Summary JSON (default <out>.summary.json)' },
    { name: 'time-limit', kind: 'count', value: '<ms>', min: 1, help: 'Time limit per test case, in milliseconds (default 3000)' },
    { name: 'problem-timeout', kind: 'count', value: '<s>', min: 1, help: 'Give up on a problem after this long (default 600)' },
    { name: 'html', kind: 'text', value: '<file>', help: 'report: write the self-contained HTML report here' },
    { ...JSON_OPTION, help: 'Print the summary (or comparison) as JSON, without the live display' },
    HELP_OPTION,
  ],
  footer: `${MODEL_FOOTER}

Ctrl-C stops cleanly: problems in flight are dropped (--resume redoes them) and the summary so
far is printed; a second Ctrl-C quits at once. Exit status: 0 done, 130 interrupted, 2 bad
usage or model error, 3 an internal error of ldb.

Examples:
  ldb bench humanevalpack-js -m openai:gpt-4o-mini -j 4 -o ldb.jsonl
  ldb bench humanevalpack-js -m openai:gpt-4o-mini -j 4 --method baseline -o baseline.jsonl
  ldb bench compare ldb.jsonl baseline.jsonl
  ldb bench report ldb.jsonl baseline.jsonl --html report.html`,
  load: async () => (await import('./bench-command.js')).runBench,
};
