import { describe, expect, it } from 'vitest';
import { splitInlineTest } from '../../src/cases/inline.js';

describe('splitInlineTest (--test)', () => {
  it('refuses a comparison or condition that asserts nothing, suggesting the assertion', () => {
    for (const check of ['sumTo(3) == 7', 'sumTo(3) === 7', 'f(1) < 2', '!ok(1)', 'a(1) && b(2)']) {
      expect(() => splitInlineTest(check, 1, true)).toThrow(`did you mean --test 'assert(${check})'?`);
    }
  });

  it('points a file name at --tests', () => {
    for (const name of ['loop.test.js', 'tests/shapes.test.ts', './a.spec.mjs']) {
      expect(() => splitInlineTest(name, 2, true)).toThrow(`--test #2: '${name}' is a file name, but --test takes a test expression; did you mean --tests ${name}?`);
    }
  });

  it('keeps a plain call for trace, and refuses it where a failure is needed', () => {
    expect(splitInlineTest('sumTo(3)', 1, true)).toMatchObject([{ source: 'sumTo(3)', file: '--test #1' }]);
    expect(() => splitInlineTest('sumTo(3)', 1, false)).toThrow("did you mean --test 'assert.deepStrictEqual(sumTo(3), <expected>)'?");
  });

  it('accepts assertions, expect and console.assert as before', () => {
    expect(splitInlineTest('assert(sumTo(3) == 6)', 1, false)).toHaveLength(1);
    expect(splitInlineTest('expect(sumTo(3)).toBe(6)', 1, false)).toHaveLength(1);
    expect(splitInlineTest('console.assert(sumTo(3) === 6); assert.equal(sumTo(1), 1)', 1, false)).toHaveLength(2);
  });
});
