import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/** A unified diff of two texts, as `diff -u` prints it (the well-kept `diff` package does the work). */

export interface DiffOptions {
  context?: number;
  fromName?: string;
  toName?: string;
}

/** The patch from `before` to `after`, or '' when they are the same; a missing final newline is said as `diff -u` says it. */
export function unifiedDiff(before: string, after: string, options: DiffOptions = {}): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(options.fromName ?? 'before', options.toName ?? 'after', before, after, undefined, undefined, {
    context: options.context ?? 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
  // Without its file headers' tab-separated (empty) timestamps, as `diff -u` prints names given on the command line.
  return patch.replace(/^(---|\+\+\+) (.*?)\t$/gm, '$1 $2');
}
