import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../src/instrument/instrument.js';
import { locateError, mapStack } from '../../src/sandbox/locate.js';

// A TypeScript program: stripping its types moves code, so the map must bring errors back.
const SOURCE = `interface Shape {
  kind: string;
  size: number;
}

type Area = number;

function area(shape: Shape): Area {
  if (shape.size < 0) {
    throw new RangeError('negative size: ' + shape.size);
  }
  return shape.size * shape.size;
}
`;

const FILE = 'shapes.ts';
const compiled = compileProgram(SOURCE, { filename: FILE });
const throwLine = compiled.code.split('\n').findIndex((line) => line.includes('throw new RangeError')) + 1;
const throwColumn = compiled.code.split('\n')[throwLine - 1]!.indexOf('throw') + 1;

describe('locateError', () => {
  it('maps the first frame of the program back to the TypeScript source', () => {
    const stack = `RangeError: negative size: -1\n    at area (${FILE}:${throwLine}:${throwColumn})\n    at tests.js:1:1`;
    expect(throwLine).not.toBe(10); // the compiled program really moved
    expect(locateError(stack, FILE, compiled.map)).toEqual({ file: FILE, line: 10, column: 4 });
  });

  it('skips frames of other files and reads frames without a function name', () => {
    const stack = `Error: x\n    at helper (other.js:1:1)\n    at ${FILE}:${throwLine}:${throwColumn}`;
    expect(locateError(stack, FILE, compiled.map)).toMatchObject({ line: 10 });
  });

  it('is undefined without a stack or a frame of the program', () => {
    expect(locateError(undefined, FILE, compiled.map)).toBeUndefined();
    expect(locateError('Error: x\n    at tests.js:3:1', FILE, compiled.map)).toBeUndefined();
  });
});

describe('mapStack', () => {
  it("rewrites the program's frames to source positions and drops ldb's own", () => {
    const stack = [
      'RangeError: negative size: -1',
      `    at area (${FILE}:${throwLine}:${throwColumn})`,
      '    at run (ldb-bootstrap.js:12:3)',
      '    at <isolated-vm boundary>',
      '    at tests.js:2:1',
    ].join('\n');
    expect(mapStack(stack, FILE, compiled.map)).toBe(['RangeError: negative size: -1', `    at area (${FILE}:10:5)`, '    at tests.js:2:1'].join('\n'));
  });

  it('passes an absent stack through', () => {
    expect(mapStack(undefined, FILE, compiled.map)).toBeUndefined();
  });
});
