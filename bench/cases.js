// Plain per-case time: every canonical HumanEvalPack solution on its hidden tests, untraced, in
// one reused Sandbox; wall time of each runTests call divided by its cases (what a user of
// runTests waits per case, IPC to the sandbox server included).
import { loadProblems } from '../dist/cases/datasets.js';
import { runTests } from '../dist/api.js';
import { Sandbox } from '../dist/sandbox/sandbox.js';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export async function benchCases(dataPath) {
  const problems = await loadProblems(dataPath);
  const sandbox = new Sandbox();
  try {
    await runTests({ code: problems[0].programs.canonical, tests: problems[0].hiddenTests, sandbox });
    const perCase = [];
    let cases = 0;
    const started = performance.now();
    for (const problem of problems) {
      const t0 = performance.now();
      const run = await runTests({ code: problem.programs.canonical, tests: problem.hiddenTests, filename: 'solution.js', sandbox });
      perCase.push((performance.now() - t0) / Math.max(1, run.cases.length));
      cases += run.cases.length;
    }
    const total = performance.now() - started;
    console.log(`\n## Plain cases (${problems.length} programs, ${cases} cases, one reused sandbox)`);
    console.log(`per case: median over programs ${median(perCase).toFixed(2)} ms, overall ${(total / cases).toFixed(2)} ms`);
  } finally {
    sandbox.dispose();
  }
}
