import { splitTests, type TestCase } from './split.js';
import type { Problem } from './datasets.js';

/**
 * The visible-test rule of LDB and Reflexion for sets whose prompts carry no examples (MBPP, and
 * six HumanEval problems): the first hidden assertion becomes the visible test and is shown in
 * the prompt; scoring still runs every hidden test. Problems that have examples keep them.
 */
export function withVisibleTests(problem: Problem): Problem {
  if (hasAssertions(problem.visibleTests)) return { ...problem, visibleFrom: 'examples' };
  const first = firstHiddenCase(problem.hiddenTests);
  if (!first) return problem;
  const script = keepOnlyCase(problem.hiddenTests, first.cases, first.case);
  if (script === undefined) return problem;
  return { ...problem, visibleTests: script, visibleFrom: 'first-test' };
}

/** The task as the model sees it: the prompt, plus the visible test when the prompt has no example of its own. */
export function taskPrompt(problem: Problem): string {
  if (problem.visibleFrom !== 'first-test') return problem.prompt;
  const shown = visibleTestSources(problem).join('\n');
  return `${problem.prompt.trimEnd()}\n\n// It must pass this test:\n// ${shown.replace(/\n/g, '\n// ')}\n`;
}

/** The visible assertions as a reader would write them (`candidate(…)` named by the entry point). */
export function visibleTestSources(problem: Problem): string[] {
  if (!hasAssertions(problem.visibleTests)) return [];
  const sources = splitTests(problem.visibleTests, { filename: `${problem.id} (visible)` }).map((c) => c.source.trim());
  return problem.dataset === 'multipl-e' ? sources.map((s) => s.replace(/\bcandidate\b/g, problem.entryPoint)) : sources;
}

function hasAssertions(script: string): boolean {
  if (script.trim() === '') return false;
  try {
    return splitTests(script).length > 0;
  } catch {
    return false;
  }
}

function firstHiddenCase(script: string): { cases: TestCase[]; case: TestCase } | undefined {
  try {
    const cases = splitTests(script);
    return cases[0] ? { cases, case: cases[0] } : undefined;
  } catch {
    // A hidden test script that does not parse (4 MultiPL-E problems) has nothing to show; scoring reports it.
    return undefined;
  }
}

/** The script with every other assertion cut out, so its setup (helpers, loops, `candidate`) still runs. */
function keepOnlyCase(script: string, cases: TestCase[], keep: TestCase): string | undefined {
  const lineStarts = [0];
  for (let i = 0; i < script.length; i++) if (script[i] === '\n') lineStarts.push(i + 1);
  const spans: Array<{ start: number; end: number }> = [];
  for (const testCase of cases) {
    if (testCase === keep) continue;
    const start = (lineStarts[testCase.line - 1] ?? -1) + testCase.column;
    // Positions refer to the script as written; anything else (rewritten imports) is not cut blindly.
    if (script.slice(start, start + testCase.source.length) !== testCase.source) return undefined;
    spans.push({ start, end: start + testCase.source.length });
  }
  let result = script;
  for (const span of spans.sort((a, b) => b.start - a.start)) result = result.slice(0, span.start) + result.slice(span.end);
  return hasAssertions(result) ? result : undefined;
}
