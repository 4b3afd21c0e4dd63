import { describe, expect, it } from 'vitest';
import { parseVerdicts } from '../../src/debugger/verdicts.js';

const IDS = ['sumTo#1', 'sumTo#2', 'sumTo#3', 'sumTo#4'];
const verdict = (block: string, correct: unknown, explanation = 'x'): string => JSON.stringify({ block, correct, explanation });
const reply = (...items: string[]): string => `{"verdicts": [${items.join(', ')}]}`;

describe('parseVerdicts: finding the JSON', () => {
  it('reads a bare JSON object and keeps the trace order', () => {
    const result = parseVerdicts(reply(verdict('sumTo#2', false, 'stops at n - 1'), verdict('sumTo#1', true, 'sets total to 0')), IDS);
    expect(result).toEqual({
      ok: true,
      verdicts: [
        { block: 'sumTo#1', correct: true, explanation: 'sets total to 0' },
        { block: 'sumTo#2', correct: false, explanation: 'stops at n - 1' },
      ],
      missing: [],
      warnings: ['no verdict for: sumTo#3, sumTo#4'],
    });
  });

  it('reads it from a ```json fence with prose around it, braces inside strings included', () => {
    const text = `Let me check.\n\`\`\`json\n${reply(verdict('sumTo#2', false, 'the condition {i < n} is off by one'))}\n\`\`\`\nDone.`;
    expect(parseVerdicts(text, IDS)).toMatchObject({ ok: true, verdicts: [{ block: 'sumTo#2', explanation: 'the condition {i < n} is off by one' }] });
  });

  it('skips bracketed prose that is not JSON, like LDB\'s [BLOCK-1] labels', () => {
    const text = `[BLOCK-1] looks fine. {not json} Then: ${reply(verdict('sumTo#3', true))}`;
    expect(parseVerdicts(text, IDS)).toMatchObject({ ok: true, verdicts: [{ block: 'sumTo#3', correct: true }] });
  });

  it('accepts a bare array and verdict objects one per line', () => {
    expect(parseVerdicts(`[${verdict('sumTo#1', true)}]`, IDS)).toMatchObject({ ok: true, verdicts: [{ block: 'sumTo#1' }] });
    const lines = `${verdict('sumTo#1', true)}\n${verdict('sumTo#2', false)}`;
    expect(parseVerdicts(lines, IDS)).toMatchObject({ ok: true, verdicts: [{ block: 'sumTo#1' }, { block: 'sumTo#2', correct: false }] });
  });

  it('forgives trailing commas and Python\'s True/False, but not inside strings', () => {
    const text = '{"verdicts": [{"block": "sumTo#2", "correct": False, "explanation": "True, False, and ,]",},]}';
    expect(parseVerdicts(text, IDS)).toMatchObject({ ok: true, verdicts: [{ correct: false, explanation: 'True, False, and ,]' }] });
  });
});

describe('parseVerdicts: values', () => {
  it('reads "correct" given as a string', () => {
    const result = parseVerdicts(reply(verdict('sumTo#1', 'True'), verdict('sumTo#2', ' false ')), IDS);
    expect(result).toMatchObject({ ok: true, verdicts: [{ correct: true }, { correct: false }] });
  });

  it('drops ids that are not in the trace, with a warning, and matches loosely written ones', () => {
    const result = parseVerdicts(reply(verdict('BLOCK-7', false), verdict('Block SUMTO#2', false), verdict('`sumTo#3`', true)), IDS);
    expect(result).toMatchObject({
      ok: true,
      verdicts: [{ block: 'sumTo#2' }, { block: 'sumTo#3' }],
      warnings: ['dropped verdicts on ids that are not in the trace: BLOCK-7', 'no verdict for: sumTo#1, sumTo#4'],
    });
    expect(parseVerdicts(reply(verdict('line 11', false)), ['L10', 'L11'])).toMatchObject({ ok: true, verdicts: [{ block: 'L11' }] });
  });

  it('keeps the last of duplicate verdicts', () => {
    const result = parseVerdicts(reply(verdict('sumTo#2', true, 'first'), verdict('sumTo#2', false, 'second')), ['sumTo#2']);
    expect(result).toEqual({
      ok: true,
      verdicts: [{ block: 'sumTo#2', correct: false, explanation: 'second' }],
      missing: [],
      warnings: ['judged more than once (the last verdict is kept): sumTo#2'],
    });
  });

  it('accepts an empty list only when there was nothing to judge', () => {
    expect(parseVerdicts('{"verdicts": []}', [])).toEqual({ ok: true, verdicts: [], missing: [], warnings: [] });
  });

  it('reads code reported missing, alone or beside the verdicts', () => {
    const both = parseVerdicts(
      '{"verdicts": [{"block": "f#2", "correct": true}], "missing": [{"after_line": 18, "explanation": "count is never increased"}]}',
      ['f#2'],
    );
    expect(both).toMatchObject({ ok: true, verdicts: [{ block: 'f#2', correct: true }], missing: [{ afterLine: 18, explanation: 'count is never increased' }] });
    const alone = parseVerdicts('{"verdicts": [], "missing": [{"after_line": "4", "explanation": "x"}]}', ['f#2']);
    expect(alone).toMatchObject({ ok: true, verdicts: [], missing: [{ afterLine: 4 }] });
    expect(parseVerdicts('{"verdicts": [{"block": "f#2", "correct": true}], "missing": [{"explanation": "x"}]}', ['f#2'])).toEqual({
      ok: false,
      error: 'missing[0].after_line must be a line number',
    });
    expect(parseVerdicts('{"verdicts": [{"block": "f#2", "correct": true}], "missing": "none"}', ['f#2'])).toMatchObject({ ok: false });
  });

  it('defaults a missing explanation to empty', () => {
    expect(parseVerdicts('{"verdicts": [{"block": "sumTo#1", "correct": true}]}', IDS)).toMatchObject({ ok: true, verdicts: [{ explanation: '' }] });
  });
});

describe('parseVerdicts: errors precise enough to send back', () => {
  const error = (text: string, ids = IDS): string => {
    const result = parseVerdicts(text, ids);
    if (result.ok) throw new Error('expected a parse failure');
    return result.error;
  };

  it('says when there is no JSON at all', () => {
    expect(error('The bug is in the loop condition.')).toBe(
      'the reply contains no JSON object; reply with only {"verdicts": [{"block": "<id>", "correct": true, "explanation": "..."}]}',
    );
  });

  it('points at the line and column where the JSON breaks', () => {
    const text = 'Here it is:\n{"verdicts": [\n  {"block": "sumTo#2", "correct": false "explanation": "x"}\n]}';
    expect(error(text)).toBe(`the JSON does not parse: Expected ',' or '}' after property value at line 3 column 41`);
  });

  it('says when the JSON is cut off', () => {
    expect(error('{"verdicts": [{"block": "sumTo#1", "correct": tr')).toBe('the JSON is cut off: the { at line 1 column 1 is never closed');
  });

  it('names each invalid field with what it got', () => {
    expect(error(reply(verdict('sumTo#1', 'maybe'), '{"correct": true}', '7'))).toBe(
      'invalid verdicts: verdicts[0].correct must be true or false (got "maybe"); verdicts[1].block is missing; verdicts[2] must be an object, got 7',
    );
  });

  it('says when the shape is wrong or empty', () => {
    expect(error('{"verdicts": {"sumTo#1": true}}')).toBe('"verdicts" must be an array of {"block", "correct", "explanation"} objects');
    expect(error('{"result": "ok"}')).toMatch(/^the JSON has no "verdicts" array/);
    expect(error('{"verdicts": []}')).toBe('the "verdicts" array is empty; give one verdict for each id');
  });

  it('lists the valid ids when none of the verdicts names one', () => {
    expect(error(reply(verdict('BLOCK-0', false)))).toBe(
      'no verdict names an id from the trace (got BLOCK-0); use these ids: sumTo#1, sumTo#2, sumTo#3, sumTo#4',
    );
  });
});
