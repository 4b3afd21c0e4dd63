// On-disk response cache, so rerunning a batch or a debugging session costs nothing.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { abortedError } from './error-messages.js';
import { resolveRequest, type Completion, type CompletionRequest, type Model, type ResolvedRequest } from './model.js';
import type { Env } from './spec.js';

/** Bump when the key or the entry format changes, so old entries are simply never hit. */
const FORMAT_VERSION = 2;

/** LDB_CACHE_DIR, else `${XDG_CACHE_HOME ?? ~/.cache}/ldb/responses`. */
export function defaultCacheDir(env: Env = process.env): string {
  const explicit = env.LDB_CACHE_DIR?.trim();
  if (explicit) return explicit;
  const xdg = env.XDG_CACHE_HOME?.trim();
  const base = xdg ? xdg : join(env.HOME?.trim() || homedir(), '.cache');
  return join(base, 'ldb', 'responses');
}

/** What makes two requests the same question: the model (and where it is served), the messages and the parameters. */
export interface CacheScope {
  modelId: string;
  /** The server's base URL, so one model name on two servers does not share answers. */
  endpoint?: string;
  /** Model options that change answers: the configured output budget and reasoning effort. */
  parameters?: { maxTokens?: number; reasoningEffort?: string };
  /** What the provider learned the model refuses, recorded with each entry (not part of the key). */
  adjustments?: () => string[];
}

export function cacheKey(scope: CacheScope, request: ResolvedRequest): string {
  const identity = {
    v: FORMAT_VERSION,
    model: scope.modelId,
    endpoint: scope.endpoint ?? null,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    temperature: request.temperature,
    maxTokens: request.maxTokens,
    responseFormat: request.responseFormat,
    parameters: definedOnly(scope.parameters),
  };
  return createHash('sha256').update(stableJson(identity)).digest('hex');
}

/** Undefined when nothing in it is set, so an empty scope hashes like no scope. */
function definedOnly<T extends object>(value: T | undefined): T | undefined {
  return value && Object.values(value).some((item) => item !== undefined) ? value : undefined;
}

/** JSON with object keys sorted at every level, so equal values always hash alike. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A stored entry, checked on read: anything else (an old format, a hand-edited file) is a miss. */
const cacheEntrySchema = z.object({
  version: z.literal(FORMAT_VERSION),
  model: z.string(),
  createdAt: z.string(),
  /** Parameters the model refused when this answer was fetched, e.g. "without temperature". */
  adjustments: z.array(z.string()).optional(),
  completion: z.object({
    text: z.string(),
    model: z.string(),
    usage: z.object({
      promptTokens: z.number(),
      completionTokens: z.number(),
      cachedPromptTokens: z.number().optional(),
      costUsd: z.number().nullable(),
    }),
  }),
});
type CacheEntry = z.infer<typeof cacheEntrySchema>;

/** One JSON file per entry, named by its key. */
export class ResponseCache {
  constructor(readonly dir: string) {}

  fileFor(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** The stored completion, or undefined when there is none or it is unreadable (it will be overwritten). */
  async read(key: string): Promise<Completion | undefined> {
    let text: string;
    try {
      text = await readFile(this.fileFor(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      return asCompletion(JSON.parse(text));
    } catch {
      return undefined;
    }
  }

  /**
   * Written to a temporary file and renamed, so a reader (or a concurrent run) never sees half an entry.
   * A failed write is dropped: the completion is already paid for, and a missing entry only costs a rerun.
   */
  async write(key: string, modelId: string, completion: Completion, adjustments: string[] = []): Promise<void> {
    const entry: CacheEntry = {
      version: FORMAT_VERSION,
      model: modelId,
      createdAt: new Date().toISOString(),
      ...(adjustments.length > 0 ? { adjustments } : {}),
      completion: { text: completion.text, model: completion.model, usage: completion.usage },
    };
    const file = this.fileFor(key);
    const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, `${JSON.stringify(entry, null, 2)}\n`, 'utf8');
      await rename(temp, file);
    } catch {
      await unlink(temp).catch(() => {});
    }
  }
}

function asCompletion(data: unknown): Completion | undefined {
  const parsed = cacheEntrySchema.safeParse(data);
  if (!parsed.success) return undefined;
  const { text, model, usage } = parsed.data.completion;
  return { text, model, usage: { ...usage, cached: false } };
}

/** The model, answering repeated questions from the cache: same text and token counts, cost 0, `cached: true`. */
export function withResponseCache(model: Model, cache: ResponseCache, scope: CacheScope = { modelId: model.id }): Model {
  return {
    id: model.id,
    async complete(request: CompletionRequest): Promise<Completion> {
      const resolved = resolveRequest(request);
      if (resolved.signal?.aborted) throw abortedError(model);
      const key = cacheKey(scope, resolved);
      const hit = await cache.read(key);
      if (hit) return { ...hit, usage: { ...hit.usage, costUsd: 0, cached: true } };
      const completion = await model.complete(request);
      await cache.write(key, model.id, completion, scope.adjustments?.() ?? []);
      return completion;
    },
  };
}
