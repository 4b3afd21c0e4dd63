import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/program/model.js';
import type { Trace } from '../../src/sandbox/trace.js';
import { App } from '../../src/ui/app.js';
import type { SessionController } from '../../src/ui/controller.js';
import { HelpOverlay } from '../../src/ui/help-overlay.js';
import { KEY_BINDINGS } from '../../src/ui/keys.js';
import { PatchPane, TestsPane, VerdictPane } from '../../src/ui/side-panes.js';
import { SourcePane } from '../../src/ui/source-pane.js';
import { initialState, reduce, type SessionState } from '../../src/ui/state.js';
import { StatusBar } from '../../src/ui/status-bar.js';
import { createTheme } from '../../src/ui/theme.js';
import { VariablesPane } from '../../src/ui/variables-pane.js';

const theme = createTheme({ NO_COLOR: '1' });
const CODE = ['function sumTo(n) {', '  let total = 0;', '  for (let i = 1; i < n; i++) {', '    total += i;', '  }', '  return total;', '}'].join('\n');
const at = (line: number, end = line) => ({ start: { line, col: 0 }, end: { line: end, col: 1 } });
const BLOCKS: Block[] = [
  { id: 'sumTo#0', fn: 'sumTo', kind: 'entry', loc: at(1), succ: [] },
  { id: 'sumTo#1', fn: 'sumTo', kind: 'block', loc: at(2), succ: [] },
  { id: 'sumTo#2', fn: 'sumTo', kind: 'loop', loc: at(3), succ: [] },
  { id: 'sumTo#3', fn: 'sumTo', kind: 'block', loc: at(4), succ: [] },
  { id: 'sumTo#4', fn: 'sumTo', kind: 'block', loc: at(6), succ: [] },
];
const TRACE: Trace = {
  test: 'assert.strictEqual(sumTo(3), 6);',
  outcome: { kind: 'fail', message: 'x', expected: '6', actual: '3' },
  events: [
    { block: 'sumTo#0', depth: 1, vars: { n: '3' }, changed: ['n'] },
    { block: 'sumTo#1', depth: 1, vars: { n: '3', total: '0' }, changed: ['total'] },
    { block: 'sumTo#2', depth: 1, vars: { n: '3', total: '0', i: '1' }, changed: ['i'], test: true },
    { block: 'sumTo#3', depth: 1, vars: { n: '3', total: '1', i: '1' }, changed: ['total'] },
    { block: 'sumTo#2', depth: 1, vars: { n: '3', total: '1', i: '2' }, changed: ['i'], test: true },
    { block: 'sumTo#3', depth: 1, vars: { n: '3', total: '3', i: '2' }, changed: ['total'] },
    { block: 'sumTo#2', depth: 1, vars: { n: '3', total: '3', i: '3' }, changed: ['i'], test: false },
    { block: 'sumTo#4', depth: 1, vars: { n: '3', total: '3' }, changed: [], exit: 'return', value: '3' },
  ],
  totalEvents: 8,
  truncated: false,
  dropped: 0,
  droppedAt: 8,
  console: [],
};
const CASES = [
  { source: 'assert.strictEqual(sumTo(0), 0);', outcome: { kind: 'pass' as const } },
  { source: 'assert.strictEqual(sumTo(3), 6);', outcome: TRACE.outcome },
];

function loaded(step: number): SessionState {
  let state = reduce(initialState('sum.js', null), { type: 'program', file: 'sum.js', code: CODE, blocks: BLOCKS, level: 'block', cases: CASES, caseIndex: 1 });
  state = reduce(state, { type: 'trace', caseIndex: 1, trace: TRACE });
  return reduce(state, { type: 'goto', step });
}

describe('panes', () => {
  it('source: line numbers, block ids, the block that just ran and the one that runs next', () => {
    const state = loaded(5);
    const frame = render(h(SourcePane, { lines: state.lines, blocks: state.blocks, recording: state.recording, step: 5, breakpoints: [6], judged: [{ id: 'sumTo#3', label: 'line 4', lines: { start: 4, end: 4 }, correct: false, explanation: 'x' }], height: 7, width: 60, theme })).lastFrame()!;
    const lines = frame.split('\n');
    expect(lines[3]).toMatch(/^▶ ✗4 sumTo#3\s+total \+= i;/);
    expect(lines[2]).toMatch(/^→  3 sumTo#2\s+for \(let i = 1/);
    expect(lines[5]).toMatch(/^ ● 6 sumTo#4\s+return total;/);
  });

  it('variables: values after the step, the changed one with its previous value, the return value', () => {
    const state = loaded(5);
    const props = { recording: state.recording, blocks: state.blocks, expanded: false, loading: false, height: 8, width: 40, theme };
    const frame = render(h(VariablesPane, { ...props, step: 5 })).lastFrame()!;
    expect(frame).toContain('sumTo() depth 1 line 4');
    expect(frame).toContain('*total: 3 ← 1');
    expect(frame).toMatch(/^i: 2$/m);
    expect(render(h(VariablesPane, { ...props, step: 7 })).lastFrame()).toContain('returns 3');
  });

  it('variables: a step not recorded yet says it is being re-run', () => {
    const state = loaded(0);
    const recording = { trace: { ...TRACE, events: TRACE.events.slice(0, 2), totalEvents: 100, dropped: 98, droppedAt: 2, truncated: true }, windows: [] };
    const frame = render(h(VariablesPane, { recording, step: 50, blocks: state.blocks, expanded: false, loading: true, height: 4, width: 40, theme })).lastFrame();
    expect(frame!.replace(/\s+/g, ' ')).toContain('step 51 of 100: re-running the case to record it');
  });

  it('source: without colour, lines of code that never ran carry a mark (brackets and comments do not)', () => {
    // Case sumTo(0): the loop body (line 4) never runs.
    const events = [TRACE.events[0]!, TRACE.events[1]!, { ...TRACE.events[2]!, test: false }, TRACE.events[7]!];
    const recording = { trace: { ...TRACE, events, totalEvents: 4, droppedAt: 4 }, windows: [] };
    const state = loaded(0);
    const frame = render(h(SourcePane, { lines: state.lines, blocks: state.blocks, recording, step: 0, breakpoints: [], judged: null, height: 7, width: 60, theme })).lastFrame()!;
    const lines = frame.split('\n');
    expect(lines[3]).toMatch(/^·  4 sumTo#3\s+total \+= i;/);
    expect(lines[4]).toMatch(/^   5\s+}/);
    expect(lines[2]).toMatch(/^   3 sumTo#2/);
    const before = render(h(SourcePane, { lines: state.lines, blocks: state.blocks, recording: null, step: 0, breakpoints: [], judged: null, height: 7, width: 60, theme })).lastFrame()!;
    expect(before).not.toContain('·');
  });

  it('variables: x expands a long value and collapses it again, with nothing left behind', async () => {
    const long = `[ ${Array.from({ length: 12 }, (_, i) => `'item-number-${i}'`).join(', ')} ]`;
    const events = [{ block: 'sumTo#1', depth: 1, vars: { items: long, n: '3' }, changed: [] }];
    const recording = { trace: { ...TRACE, events, totalEvents: 1, droppedAt: 1 }, windows: [] };
    const props = { recording, step: 0, blocks: loaded(0).blocks, loading: false, height: 12, width: 40, theme };
    const pane = render(h(VariablesPane, { ...props, expanded: false }));
    const collapsed = pane.lastFrame()!;
    let frame = collapsed;
    expect(frame).toMatch(/^items: \[ 'item-number-0', 'item-num.*…$/m);
    expect(frame).not.toContain("'item-number-11'");
    expect(frame.split('\n')[2]).toBe('n: 3');
    pane.rerender(h(VariablesPane, { ...props, expanded: true }));
    frame = pane.lastFrame()!;
    expect(frame.replace(/\n/g, ' ')).toContain("'item-number-10', 'item-number-11' ]");
    expect(frame).toMatch(/^n: 3$/m);
    pane.rerender(h(VariablesPane, { ...props, expanded: false }));
    // Collapsed again: the same frame as before, `n` right under the value (no blank rows).
    expect(pane.lastFrame()).toBe(collapsed);
  });

  it('tests, verdict and patch panes', () => {
    const tests = render(h(TestsPane, { cases: CASES, caseIndex: 1, cursor: null, height: 2, width: 80, theme })).lastFrame()!;
    expect(tests).toContain('✓ 1 assert.strictEqual(sumTo(0), 0);');
    expect(tests).toContain('• ✗ 2 assert.strictEqual(sumTo(3), 6);  failed: expected 6, got 3');
    const verdict = render(h(VerdictPane, { verdict: { id: 'sumTo#2', label: 'line 3', lines: { start: 3, end: 3 }, correct: false, explanation: 'i < n stops one short' }, height: 3, width: 60, theme })).lastFrame();
    expect(verdict).toContain('✗ wrong (line 3): i < n stops one short');
    const patch = render(h(PatchPane, { diff: '--- a\n+++ b\n@@ -3 +3 @@\n-  for (let i = 1; i < n; i++) {\n+  for (let i = 1; i <= n; i++) {', height: 8, width: 60, theme })).lastFrame();
    expect(patch).toContain('+  for (let i = 1; i <= n; i++) {');
    expect(patch).toContain('a accept');
  });

  it('status bar: step k of n, case, level, model, outcome; the search prompt', () => {
    const state = loaded(3);
    const bar = render(h(StatusBar, { state, width: 120, theme })).lastFrame()!;
    expect(bar).toContain('✗ step 4/8 │ case 2 │ block │ no model │ failed: expected 6, got 3');
    const prompt = render(h(StatusBar, { state: reduce(reduce(state, { type: 'promptOpen', kind: 'search', direction: 1 }), { type: 'promptText', text: 'total > 1' }), width: 120, theme })).lastFrame();
    expect(prompt).toContain('/total > 1█');
  });

  it('help lists every command of the key table', () => {
    const frame = render(h(HelpOverlay, { height: 40, width: 100, theme })).lastFrame()!;
    for (const binding of KEY_BINDINGS) expect(frame).toContain(binding.description);
    const narrow = render(h(HelpOverlay, { height: 14, width: 200, theme })).lastFrame()!;
    expect(narrow.split('\n').length).toBeLessThanOrEqual(14);
    for (const binding of KEY_BINDINGS) expect(narrow).toContain(binding.description.slice(0, 20));
  });
});

describe('the app', () => {
  const calls: string[] = [];
  const stub = {
    loadWindow: async () => void calls.push('window'),
    search: async (text: string, direction: number) => void calls.push(`search ${text} ${direction}`),
    verify: async () => void calls.push('verify'),
    switchLevel: async () => void calls.push('level'),
    dispose: () => void calls.push('dispose'),
  };
  const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

  it('renders the panes at 80x24 and routes keys to the reducer and the controller', async () => {
    const app = render(h(App, { initial: loaded(7), theme, size: { columns: 80, rows: 24 }, connect: () => stub as unknown as SessionController, onReady: () => undefined }));
    await tick();
    let frame = app.lastFrame()!;
    expect(frame.split('\n')).toHaveLength(23);
    expect(frame).toContain('── Variables');
    expect(frame).toContain('step 8/8');
    app.stdin.write('g');
    await tick();
    app.stdin.write('n');
    await tick();
    expect(app.lastFrame()).toContain('step 2/8');
    for (const ch of '/total > 2') app.stdin.write(ch);
    await tick();
    expect(app.lastFrame()).toContain('/total > 2█');
    app.stdin.write('\r');
    await tick();
    expect(calls).toContain('search total > 2 1');
    app.stdin.write('v');
    await tick();
    expect(calls).toContain('verify');
    app.stdin.write('l');
    await tick();
    expect(calls).toContain('level');
    app.stdin.write('?');
    await tick();
    frame = app.lastFrame()!;
    expect(frame).toContain('ldb debug: keys');
    app.unmount();
  });
});
