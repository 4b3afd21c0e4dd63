// Which request parameters a model refused, learned from its 400s instead of guessed from its name,
// and remembered for the rest of the run so each refusal costs one request only.
import type { RejectedRequestError } from './error-messages.js';
import { oneLine } from './error-messages.js';
import type { ServerError } from './replies.js';

/** A message for the user, shown once (the CLI prints it on stderr). */
export type Notify = (message: string) => void;

/** Parameters ldb can do without: the prompt still asks for JSON, and the model's defaults are fine. */
const DROPPABLE = ['temperature', 'response_format', 'reasoning_effort', 'reasoning', 'output_config', 'top_p', 'seed'];
/**
 * OpenAI's reasoning models refuse `max_tokens` ("Use 'max_completion_tokens' instead", param
 * max_tokens, code unsupported_parameter: https://platform.openai.com/docs/guides/error-codes);
 * servers that only know the older name may refuse the newer one.
 */
const RENAMABLE: Record<string, string> = { max_tokens: 'max_completion_tokens', max_completion_tokens: 'max_tokens' };
const ADJUSTABLE = [...DROPPABLE, ...Object.keys(RENAMABLE)];

/** Words servers use when they refuse a parameter or its value (OpenAI, Anthropic, LM Studio, vLLM). */
const REFUSAL = /unsupported|not supported|deprecated|does not support|must be|not allowed|not permitted|unknown|unrecognized|invalid|extra inputs/i;

export class ParameterMemory {
  private readonly dropped = new Set<string>();
  private readonly renamed = new Map<string, string>();
  /** The model spent output tokens on reasoning: it needs the larger default budget. */
  reasoning = false;

  constructor(
    private readonly modelId: string,
    private readonly notify: Notify,
  ) {}

  /** The body as this model accepts it: refused parameters left out, renamed ones renamed. */
  apply(body: Record<string, unknown>): Record<string, unknown> {
    const adjusted: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(body)) {
      if (this.dropped.has(name)) continue;
      adjusted[this.renamed.get(name) ?? name] = value;
    }
    return adjusted;
  }

  /** True when the refusal named a parameter this memory can do without (then ask again); says so once. */
  learnFrom(error: RejectedRequestError, sent: Record<string, unknown>): boolean {
    if (error.status !== 400 && error.status !== 422) return false;
    const param = rejectedParameter(error.server, Object.keys(sent));
    if (!param) return false;
    const said = oneLine(error.server.message, 160);
    const renameTo = RENAMABLE[param];
    if (renameTo !== undefined) {
      const original = [...this.renamed.entries()].find(([, to]) => to === param)?.[0] ?? param;
      // Both names refused: renaming back and forth would never end.
      if (this.renamed.has(original) && original !== param) return false;
      this.renamed.set(original, renameTo);
      this.notify(`${this.modelId} refused \`${param}\` (server: ${said}); sending \`${renameTo}\` instead for the rest of the run`);
      return true;
    }
    if (this.dropped.has(param)) return false;
    this.dropped.add(param);
    this.notify(`${this.modelId} refused \`${param}\` (server: ${said}); sending requests without it for the rest of the run`);
    return true;
  }

  /** What was learned, for the cache's metadata: `["without temperature", "max_completion_tokens for max_tokens"]`. */
  describe(): string[] {
    return [
      ...[...this.dropped].map((name) => `without ${name}`),
      ...[...this.renamed].map(([from, to]) => `${to} for ${from}`),
      ...(this.reasoning ? ['reasoning budget'] : []),
    ];
  }
}

/**
 * The parameter a 400 refused: OpenAI names it in `param` (e.g. `temperature` with code
 * `unsupported_value`, `response_format.type`); Anthropic ("`temperature` is deprecated for this
 * model") and LM Studio ("'response_format.type' must be 'json_schema' or 'text'") only in the message.
 */
export function rejectedParameter(server: ServerError, sent: string[]): string | undefined {
  const candidates = sent.filter((name) => ADJUSTABLE.includes(name));
  if (server.param) {
    const root = server.param.split(/[.[]/)[0] ?? '';
    if (candidates.includes(root)) return root;
  }
  if (!REFUSAL.test(server.message)) return undefined;
  return candidates.find((name) => new RegExp(`(^|[^a-z_])${name}([^a-z_]|$)`).test(server.message));
}
