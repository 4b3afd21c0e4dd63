/** Control characters (C0 except tab and newline, DEL, C1) shown as \u escapes, so user data cannot drive the terminal. */
export function escapeTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line of user data for a terminal table: control characters and newlines escaped. */
export function escapeLine(text: string): string {
  return escapeTerminal(text).replace(/\n/g, '\\n').replace(/\t/g, ' ');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}
