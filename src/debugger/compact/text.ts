/** Widest a variable's value or a returned value is shown in a step. */
export const MAX_VALUE_CHARS = 200;
/** Widest a value is shown in a one-line summary, where several stand side by side. */
export const MAX_SUMMARY_VALUE_CHARS = 40;
/** Nesting deeper than this is not indented further: deep recursion would push the text off the page. */
const MAX_INDENT = 8;

/** The text on one line, cut to `width` characters with "…" marking the cut. */
export function clip(text: string, width: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

/** Indents lines two spaces per call below the top (depth 1). */
export function indent(lines: string[], depth: number): string[] {
  const pad = '  '.repeat(Math.min(MAX_INDENT, Math.max(0, depth - 1)));
  return lines.map((line) => pad + line);
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "name = value" for each variable, values clipped to `width`. */
export function assignments(vars: Record<string, string>, width: number): string[] {
  return Object.entries(vars).map(([name, value]) => `${name} = ${clip(value, width)}`);
}
