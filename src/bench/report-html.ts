import { unifiedDiff } from '../debugger/diff.js';
import { passAt1Chart } from './chart-svg.js';
import { compareResults } from './compare.js';
import { escapeHtml as h } from './escape.js';
import type { RecordIteration, ResultRecord, TestScore } from './record.js';
import { percent, summarize, type BenchSummary } from './summary.js';

export interface ReportRun {
  /** The results file's name, as the report labels the run. */
  name: string;
  records: ResultRecord[];
}

/**
 * One self-contained HTML page: the summary table, pass@1 by iteration (one line per run), the
 * comparison when there are two runs, and per problem the seed-to-final diff, the verdicts and
 * the trace shown to the model. Every piece of user data is escaped; a CSP forbids any fetch.
 */
export function renderReport(runs: ReportRun[]): string {
  const summaries = runs.map((run) => ({ name: run.name, summary: summarize(run.records) }));
  const body = [
    `<h1>ldb bench report</h1>`,
    `<p class="meta">${summaries.map((s) => h(runLabel(s.name, s.summary))).join('<br>')}</p>`,
    `<h2>Summary</h2>`,
    summaryTable(summaries),
    `<h2>pass@1 by debugging turn</h2>`,
    passAt1Chart(summaries.map((s) => ({ name: s.name, values: s.summary.passAt1ByIteration }))),
    runs.length === 2 ? comparisonSection(runs[0]!, runs[1]!) : '',
    ...runs.map((run) => problemsSection(run, runs.length > 1)),
  ];
  return page(body.join('\n'));
}

function runLabel(name: string, summary: BenchSummary): string {
  const o = summary.options;
  return o ? `${name}: ${o.dataset}, mode ${o.mode}, method ${o.method}, model ${o.model}, level ${o.level}, max-iters ${o.max_iters}` : name;
}

function summaryTable(runs: Array<{ name: string; summary: BenchSummary }>): string {
  const rows: Array<[string, (s: BenchSummary) => string]> = [
    ['problems', (s) => String(s.problems)],
    ['pass@1 seed (hidden tests)', (s) => `${percent(s.seedPassAt1)} (${s.seedSolved})`],
    ['pass@1 after debugging', (s) => `${percent(s.passAt1)} (${s.solved})`],
    ['gain', (s) => `${s.gain >= 0 ? '+' : ''}${(s.gain * 100).toFixed(1)} points`],
    ['turns per problem fixed', (s) => (s.iterationsPerSolved === null ? '-' : s.iterationsPerSolved.toFixed(2))],
    ['tokens', (s) => String(s.tokens)],
    ['tokens per solved problem', (s) => (s.tokensPerSolved === null ? '-' : String(Math.round(s.tokensPerSolved)))],
    ['model calls (cached)', (s) => `${s.calls} (${s.cachedCalls})`],
    ['cost', (s) => (s.costUsd === null ? 'unknown' : `$${s.costUsd.toFixed(4)}`)],
    ['wall time (sum)', (s) => `${(s.wallMs / 1000).toFixed(1)} s`],
    ['stop reasons', (s) => Object.entries(s.stopReasons).map(([r, n]) => `${r} ${n}`).join(', ')],
  ];
  const types = [...new Set(runs.flatMap((r) => Object.keys(r.summary.byBugType)))].sort();
  for (const type of types) {
    rows.push([`bug type: ${type}`, (s) => {
      const g = s.byBugType[type];
      return g ? `${g.seedSolved} → ${g.solved} of ${g.problems}` : '-';
    }]);
  }
  const head = `<tr><th></th>${runs.map((r) => `<th>${h(r.name)}</th>`).join('')}</tr>`;
  const lines = rows.map(([label, cell]) => `<tr><th scope="row">${h(label)}</th>${runs.map((r) => `<td>${h(cell(r.summary))}</td>`).join('')}</tr>`);
  return `<table id="summary">${head}${lines.join('')}</table>`;
}

function comparisonSection(a: ReportRun, b: ReportRun): string {
  const comparison = compareResults(a.records, b.records);
  const c = comparison.counts;
  const differing = comparison.problems.filter((p) => p.change !== 'both' && p.change !== 'neither');
  const mark = (s: { solved: boolean } | null) => (s === null ? '–' : s.solved ? '✓' : '✗');
  const rows = differing.map((p) => `<tr><td>${h(p.taskId)}</td><td>${mark(p.a)}</td><td>${mark(p.b)}</td></tr>`).join('');
  return (
    `<h2>${h(a.name)} against ${h(b.name)}</h2>` +
    `<p>Solved by both ${c.both}, only by ${h(a.name)} ${c['only-a']}, only by ${h(b.name)} ${c['only-b']}, by neither ${c.neither}` +
    `${c.missing > 0 ? `, in one file only ${c.missing}` : ''}.</p>` +
    (rows ? `<table class="compare"><tr><th>task</th><th>${h(a.name)}</th><th>${h(b.name)}</th></tr>${rows}</table>` : '')
  );
}

function problemsSection(run: ReportRun, named: boolean): string {
  const title = named ? `Problems: ${h(run.name)}` : 'Problems';
  return `<h2>${title}</h2>\n${run.records.map(problemDetails).join('\n')}`;
}

function problemDetails(record: ResultRecord): string {
  const seed = record.seed_solved ? '✓' : '✗';
  const final = record.solved ? '✓' : '✗';
  const tokens = record.usage.prompt_tokens + record.usage.completion_tokens;
  const headline =
    `<summary><span class="${record.solved ? 'ok' : 'bad'}">${seed} → ${final}</span> <b>${h(record.task_id)}</b> ` +
    `${h(record.stop_reason)}, ${Math.max(0, record.iterations.length - 1)} turn(s), ${tokens} tokens` +
    `${record.bug_type ? `, ${h(record.bug_type)}` : ''}</summary>`;
  const parts = [
    `<p>Visible tests (${h(record.visible_tests.from)}): </p><pre>${h(record.visible_tests.tests.join('\n') || '(none)')}</pre>`,
    record.error ? `<p class="bad">${h(record.error)}</p>` : '',
    record.seed && record.final
      ? `<p>Seed ${score(record.seed.hidden)} hidden → final (turn ${record.final.iteration}) ${score(record.final.hidden)} hidden</p>` +
        `<pre class="diff">${diffHtml(unifiedDiff(record.seed.code, record.final.code, { fromName: 'seed', toName: 'final' }))}</pre>`
      : '',
    ...record.iterations.map(iterationHtml),
  ];
  return `<details class="problem">${headline}${parts.join('')}</details>`;
}

function iterationHtml(iteration: RecordIteration): string {
  const parts = [`<h4>Turn ${iteration.index}: visible ${score(iteration.visible)}, hidden ${score(iteration.hidden)}</h4>`];
  if (iteration.failing_test) parts.push(`<p>Failing test: <code>${h(iteration.failing_test)}</code><br>${h(iteration.failure ?? '')}</p>`);
  if (iteration.trace_text) parts.push(`<details><summary>Trace shown to the model</summary><pre>${h(iteration.trace_text)}</pre></details>`);
  if (iteration.verdicts === null) parts.push('<p>Verdicts: could not be read.</p>');
  else if (iteration.verdicts) {
    const items = iteration.verdicts.map((v) => `<li class="${v.correct ? 'ok' : 'bad'}">${v.correct ? '✓' : '✗'} <code>${h(v.block)}</code> ${h(v.explanation)}</li>`);
    parts.push(`<ul class="verdicts">${items.join('')}</ul>`);
  }
  if (iteration.notes.length > 0) parts.push(`<p class="notes">${iteration.notes.map(h).join('<br>')}</p>`);
  if (iteration.patch_diff) parts.push(`<pre class="diff">${diffHtml(iteration.patch_diff)}</pre>`);
  return `<div class="turn">${parts.join('')}</div>`;
}

function score(s: TestScore): string {
  return `${s.passed}/${s.total}`;
}

function diffHtml(diff: string): string {
  return diff
    .split('\n')
    .map((line) => {
      const cls = line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : '';
      return cls ? `<span class="${cls}">${h(line)}</span>` : h(line);
    })
    .join('\n');
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #111827; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #e5e7eb; }
table { border-collapse: collapse; } th, td { border: 1px solid #d1d5db; padding: 4px 10px; text-align: left; }
th[scope=row] { font-weight: normal; color: #374151; background: #f9fafb; }
pre { background: #f3f4f6; padding: 8px; overflow-x: auto; font-size: 12px; }
.diff .add { color: #047857; } .diff .del { color: #b91c1c; }
.ok { color: #047857; } .bad { color: #b91c1c; } .meta, .notes { color: #6b7280; }
details.problem { border: 1px solid #e5e7eb; margin: 4px 0; padding: 4px 8px; }
.turn { border-left: 3px solid #e5e7eb; padding-left: 8px; margin: 8px 0; } ul.verdicts { padding-left: 1.2em; }
`;

function page(body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>ldb bench report</title>',
    `<style>${STYLE}</style></head><body>`,
    body,
    '</body></html>',
    '',
  ].join('\n');
}
