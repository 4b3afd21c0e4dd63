import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/debugger/diff.js';

describe('unifiedDiff', () => {
  it('prints one hunk with context around a changed line', () => {
    const before = 'function sumTo(n) {\n  let total = 0;\n  for (let i = 1; i < n; i++) {\n    total += i;\n  }\n  return total;\n}\n';
    const after = before.replace('i < n', 'i <= n');
    expect(unifiedDiff(before, after, { fromName: 'a.js', toName: 'a.js (fixed)' })).toBe(
      [
        '--- a.js',
        '+++ a.js (fixed)',
        '@@ -1,6 +1,6 @@',
        ' function sumTo(n) {',
        '   let total = 0;',
        '-  for (let i = 1; i < n; i++) {',
        '+  for (let i = 1; i <= n; i++) {',
        '     total += i;',
        '   }',
        '   return total;',
        '',
      ].join('\n'),
    );
  });

  it('returns an empty string when nothing changed, and separates distant hunks', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const after = before.replace('line 2\n', 'line two\n').replace('line 19', 'line nineteen');
    const hunks = unifiedDiff(before, after).split('\n').filter((l) => l.startsWith('@@'));
    expect(hunks).toEqual(['@@ -1,5 +1,5 @@', '@@ -16,5 +16,5 @@']);
  });

  it('handles pure insertions and deletions', () => {
    expect(unifiedDiff('a\nc\n', 'a\nb\nc\n')).toContain('@@ -1,2 +1,3 @@\n a\n+b\n c');
    expect(unifiedDiff('a\nb\nc\n', 'a\nc\n')).toContain('@@ -1,3 +1,2 @@\n a\n-b\n c');
    expect(unifiedDiff('', 'x\n')).toContain('@@ -0,0 +1,1 @@\n+x');
  });
});

describe('unifiedDiff: details diff -u gets right', () => {
  it('says when a side has no newline at the end of the file', () => {
    const patch = unifiedDiff('a\nb', 'a\nc\n', { fromName: 'x.js', toName: 'x.js (fixed)' });
    expect(patch).toBe(['--- x.js', '+++ x.js (fixed)', '@@ -1,2 +1,2 @@', ' a', '-b', '\\ No newline at end of file', '+c', ''].join('\n'));
  });

  it('handles long programs (no n·m table)', () => {
    const before = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 10000\n', 'line ten thousand\n');
    expect(unifiedDiff(before, after).split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -9998,7 +9998,7 @@']);
  });
});
