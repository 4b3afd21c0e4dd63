import { loadProblems } from '../dist/cases/datasets.js';
import { debug } from '../dist/debugger/loop.js';
import { Sandbox } from '../dist/sandbox/sandbox.js';
import { countTokens } from '../dist/debugger/tokens.js';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * The loop's own cost per iteration (tests, trace, compaction, prompts, parsing), with a model
 * that answers instantly: empty verdicts, and the same program with one more comment line (so it
 * is never "already tried"). Three iterations per buggy solution.
 */
export async function benchLoopOverhead(dataPath, { problemsToRun = 40, iterations = 3 } = {}) {
  const problems = (await loadProblems(dataPath)).filter((p) => p.visibleTests.trim()).slice(0, problemsToRun);
  const sandbox = new Sandbox();
  countTokens('warm up the tokenizer'); // loading its tables once is not per-turn overhead
  let turns = 0;
  let elapsed = 0;
  const perTurn = [];
  for (const problem of problems) {
    let n = 0;
    const model = {
      id: 'fake:instant',
      async complete(request) {
        const usage = { promptTokens: 0, completionTokens: 0, costUsd: 0, cached: false };
        if (request.responseFormat === 'json') return { text: '{"verdicts": []}', usage, model: 'instant' };
        n++;
        return { text: `\`\`\`js\n${problem.programs.buggy}\n// attempt ${n}\n\`\`\``, usage, model: 'instant' };
      },
    };
    const started = performance.now();
    let result;
    try {
      result = await debug({ code: problem.programs.buggy, tests: problem.visibleTests, model, maxIterations: iterations, sandbox, limits: { timeMs: 1000 } });
    } catch {
      continue;
    }
    const ms = performance.now() - started;
    const done = result.iterations.filter((i) => i.patch).length;
    elapsed += ms;
    turns += done;
    if (done > 0) perTurn.push(ms / done);
  }
  sandbox.dispose();
  console.log(`Loop overhead with a zero-latency model (${problems.length} buggy solutions, up to ${iterations} turns each):`);
  console.log(`  ${turns} debugging turns in ${(elapsed / 1000).toFixed(2)} s: ${(elapsed / Math.max(1, turns)).toFixed(1)} ms per turn on average, median ${median(perTurn).toFixed(1)} ms per problem`);
  console.log('  (a turn: run the visible tests, trace the failing case, compact, build prompts, parse replies, diff;');
  console.log('   programs that never finish spend their 1 s time limit on every run, which dominates the average)');
}
