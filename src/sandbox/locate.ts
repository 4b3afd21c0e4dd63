import { TraceMap, originalPositionFor, type EncodedSourceMap } from '@jridgewell/trace-mapping';
import type { SourceLocation } from '../errors.js';

/** Finds where in the user's source an error was thrown, from its stack and the compiled program's map. */
export function locateError(stack: string | undefined, filename: string, map: EncodedSourceMap): SourceLocation | undefined {
  if (!stack) return undefined;
  const tracer = new TraceMap(map);
  for (const line of stack.split('\n')) {
    const frame = /\(?([^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!frame || frame[1] !== filename) continue;
    const position = originalPositionFor(tracer, { line: Number(frame[2]), column: Number(frame[3]) - 1 });
    if (position.line != null) return { file: filename, line: position.line, column: position.column ?? 0 };
  }
  return undefined;
}

/** Rewrites stack frames of the compiled program to the user's own lines and columns. */
export function mapStack(stack: string | undefined, filename: string, map: EncodedSourceMap): string | undefined {
  if (!stack) return stack;
  const tracer = new TraceMap(map);
  return stack
    .split('\n')
    // Frames of the isolate boundary, the host and ldb's own in-sandbox code say nothing about the program.
    .filter((line) => !line.includes('<isolated-vm boundary>') && !line.includes('file:///') && !/\(?ldb-[a-z]+\.js:/.test(line) && !line.includes('[eval]'))
    .map((line) =>
      line.replace(/([^\s()]+):(\d+):(\d+)/, (whole, file: string, l: string, c: string) => {
        if (file !== filename) return whole;
        const p = originalPositionFor(tracer, { line: Number(l), column: Number(c) - 1 });
        return p.line != null ? `${file}:${p.line}:${(p.column ?? 0) + 1}` : whole;
      }),
    )
    .join('\n');
}

/**
 * Where in a test file an assertion failed: the first frame of the case's code in the stack,
 * for cases whose body keeps the test file's lines after `headerLines` lines of wrapper.
 */
export function locateInTestFile(stack: string | undefined, filename: string, headerLines: number): SourceLocation | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n')) {
    const frame = /\(?([^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!frame || frame[1] !== filename) continue;
    const fileLine = Number(frame[2]) - headerLines;
    if (fileLine >= 1) return { file: filename, line: fileLine, column: Number(frame[3]) - 1 };
  }
  return undefined;
}
