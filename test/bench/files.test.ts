import { describe, expect, it } from 'vitest';
import { parseResults } from '../../src/bench/results-file.js';
import { readSeeds } from '../../src/bench/seeds.js';
import { escapeHtml, escapeLine } from '../../src/bench/escape.js';
import { HUMANEVALPACK } from './helpers.js';

const line = (id: string) => JSON.stringify({ task_id: id, index: 0 });

describe('results files', () => {
  it('reads whole lines, and calls a last line without its newline (or that does not parse) torn', () => {
    const whole = `${line('a')}\n${line('b')}\n`;
    expect(parseResults(whole, 'r.jsonl')).toMatchObject({ torn: false, validBytes: Buffer.byteLength(whole) });
    const cut = `${whole}{"task_id":"c","ind`;
    expect(parseResults(cut, 'r.jsonl')).toMatchObject({ torn: true, validBytes: Buffer.byteLength(whole) });
    expect(parseResults(cut, 'r.jsonl').records.map((r) => r.task_id)).toEqual(['a', 'b']);
    expect(parseResults(`${whole}${line('c')}`, 'r.jsonl').torn).toBe(true); // no newline yet: not known to be whole
    expect(parseResults(`${whole}{"task_id": \n`, 'r.jsonl').torn).toBe(true);
    expect(() => parseResults(`${line('a')}\nnot json\n${line('b')}\n`, 'r.jsonl')).toThrow(/r\.jsonl:2: not a result record/);
  });
});

describe('seeds', () => {
  const problems = HUMANEVALPACK.slice(0, 3);
  it('takes evalplus solution and completion fields, the first sample of a task winning', () => {
    const text = [
      JSON.stringify({ task_id: 'JavaScript/0', solution: 'const a = 1;' }),
      JSON.stringify({ task_id: 'JavaScript/0', solution: 'const a = 2;' }),
      JSON.stringify({ task_id: 'JavaScript/1', completion: '  return [];\n};\n' }),
    ].join('\n');
    const seeds = readSeeds(text, problems, 's.jsonl');
    expect(seeds.get('JavaScript/0')).toBe('const a = 1;');
    expect(seeds.get('JavaScript/1')).toBe(`${problems[1]!.prompt}  return [];\n};\n`);
    expect(() => readSeeds('{"task_id": "x"}', problems, 's.jsonl')).toThrow(/s\.jsonl:1: no program/);
  });

  it('takes bigcode-evaluation-harness generations.json in the data set order', () => {
    const seeds = readSeeds(JSON.stringify([['p0', 'p0b'], ['p1'], ['p2']]), problems, 'g.json');
    expect([...seeds.entries()]).toEqual([['JavaScript/0', 'p0'], ['JavaScript/1', 'p1'], ['JavaScript/2', 'p2']]);
    expect(() => readSeeds('[["p0"]]', problems, 'g.json')).toThrow(/1 entries for 3 problems/);
  });
});

describe('escaping', () => {
  it('keeps user data from driving the terminal or becoming markup', () => {
    expect(escapeLine('a\u001b[31mb\nc')).toBe('a\\u001b[31mb\\nc');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
