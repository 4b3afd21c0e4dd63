import { createHash } from 'node:crypto';

/**
 * A small least-recently-used cache. Programs are parsed and instrumented once per text: the
 * refinement loop, the TUI and the batch runner trace the same program again and again.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Sources larger than this are not kept in a cache (their instrumented form is large). */
export const MAX_CACHED_SOURCE_CHARS = 256 * 1024;

/** A cache key for a program text and the options that change what is made of it. */
export function sourceKey(code: string, ...options: (string | undefined)[]): string {
  return createHash('sha256').update(code).update('\u0000').update(options.map((o) => o ?? '').join('\u0000')).digest('hex');
}
