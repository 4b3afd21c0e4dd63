/** A piece of a source line and what it is, for syntax colours. */
export interface Token {
  text: string;
  kind: 'keyword' | 'string' | 'number' | 'comment' | 'plain';
}

const KEYWORDS = new Set(
  ('break case catch class const continue debugger default delete do else export extends finally for function if import in ' +
    'instanceof let new of return super switch this throw try typeof var void while with yield async await static get set ' +
    'null undefined true false interface type enum implements private public protected readonly as')
    .split(' '),
);

const PATTERN = /(\/\/.*$|\/\*.*?(?:\*\/|$))|('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|`(?:[^`\\]|\\.)*`?)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?n?\b)|([A-Za-z_$][\w$]*)/g;

/**
 * Splits one line into coloured tokens. Line by line and regex-based: a block comment or template
 * literal spanning lines is coloured only on its first line, which is enough for reading a trace
 * and keeps files of thousands of lines instant (only the visible lines are ever tokenised).
 */
export function tokenizeLine(line: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (const match of line.matchAll(PATTERN)) {
    const index = match.index ?? 0;
    if (index > at) tokens.push({ text: line.slice(at, index), kind: 'plain' });
    const [text, comment, string, number, word] = match;
    const kind: Token['kind'] = comment ? 'comment' : string ? 'string' : number ? 'number' : word && KEYWORDS.has(word) ? 'keyword' : 'plain';
    tokens.push({ text, kind });
    at = index + text.length;
  }
  if (at < line.length) tokens.push({ text: line.slice(at), kind: 'plain' });
  return tokens;
}

/** Tabs and control characters from a user's file, made safe to print in the terminal. */
export function printable(text: string): string {
  return text.replace(/\t/g, '  ').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
