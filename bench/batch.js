import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench } from '../dist/bench/bench.js';
import { loadProblems } from '../dist/cases/datasets.js';
import { Sandbox } from '../dist/sandbox/sandbox.js';
import { countTokens } from '../dist/debugger/tokens.js';

/**
 * `ldb bench` throughput over all 164 HumanEvalPack problems (--mode fix) with a model that
 * answers at once: verdicts for every block it is shown (the last one wrong), then the canonical
 * solution as the fix. Measured at concurrency 1 and 4: problems per minute, and ldb's own time
 * per problem beyond the sandbox runs (tests, traces, hidden scoring): parsing, instrumenting,
 * compacting, prompts, reply parsing, diffs, records written and flushed.
 */
export async function benchBatch(dataPath, { timeLimitMs = 1000, maxIterations = 3 } = {}) {
  const problems = await loadProblems(dataPath);
  const model = zeroLatencyModel(problems);
  const sandboxTime = measureSandboxRuns();
  countTokens('warm up the tokenizer'); // loading its tables (about a second) is once per process, not per problem
  console.log(`Batch throughput (ldb bench, ${problems.length} HumanEvalPack problems, zero-latency model, --time-limit ${timeLimitMs}, --max-iters ${maxIterations}):`);
  for (const concurrency of [1, 4]) {
    const dir = await mkdtemp(join(tmpdir(), 'ldb-bench-batch-'));
    sandboxTime.reset();
    const started = performance.now();
    const outcome = await bench({
      dataset: dataPath, model: 'fake:instant', modelOverride: model, mode: 'fix', method: 'ldb', level: 'block',
      maxIterations, concurrency, out: join(dir, 'r.jsonl'), resume: false, timeLimitMs, problemTimeoutMs: 600_000,
      env: {}, signal: new AbortController().signal,
    });
    const ms = performance.now() - started;
    await rm(dir, { recursive: true, force: true });
    const n = outcome.records.length;
    const solved = outcome.records.filter((r) => r.solved).length;
    const perMinute = (n / ms) * 60_000;
    console.log(`  concurrency ${concurrency}: ${n} problems in ${(ms / 1000).toFixed(1)} s = ${perMinute.toFixed(0)} problems/minute (${solved} solved)`);
    if (concurrency === 1) {
      const own = (ms - sandboxTime.total()) / n;
      console.log(`    sandbox runs ${(sandboxTime.total() / 1000).toFixed(1)} s in ${sandboxTime.count()} runs; ldb's own time ${own.toFixed(1)} ms per problem (target < 50 ms)`);
      const finishing = outcome.records.filter((r) => r.iterations.every((i) => !/did not finish/.test(i.failure ?? '')));
      const quick = finishing.map((r) => r.wall_ms).sort((a, b) => a - b);
      console.log(`    median wall time of the ${finishing.length} problems whose programs all finish: ${quick[Math.floor(quick.length / 2)]} ms`);
    }
  }
}

/**
 * Adds up the time spent in the sandbox's public runs (run, runAll for a program's batched cases,
 * runWindow); they queue one behind another, so at concurrency 1 the sum is wall time.
 */
function measureSandboxRuns() {
  let total = 0;
  let count = 0;
  for (const method of ['run', 'runAll', 'runWindow']) {
    const original = Sandbox.prototype[method];
    Sandbox.prototype[method] = async function (...args) {
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        total += performance.now() - started;
        count++;
      }
    };
  }
  return { total: () => total, count: () => count, reset: () => { total = 0; count = 0; } };
}

function zeroLatencyModel(problems) {
  const usage = { promptTokens: 0, completionTokens: 0, costUsd: 0, cached: false };
  const byPrompt = problems.map((p) => [p.prompt.trim(), p]).sort((a, b) => b[0].length - a[0].length);
  return {
    id: 'fake:instant',
    async complete(request) {
      const text = request.messages.map((m) => m.content).join('\n');
      if (request.responseFormat === 'json') {
        const ids = /in this order: (.*)\.\n/.exec(text)?.[1]?.split(', ') ?? [];
        const verdicts = ids.map((block, i) => ({ block, correct: i < ids.length - 1, explanation: 'checked' }));
        return { text: JSON.stringify({ verdicts }), usage, model: 'instant' };
      }
      const problem = byPrompt.find(([prompt]) => text.includes(prompt))?.[1];
      return { text: `\`\`\`js\n${problem?.programs.canonical ?? ''}\n\`\`\``, usage, model: 'instant' };
    },
  };
}
