import { unifiedDiff } from '../../debugger/diff.js';
import { debug } from '../../debugger/loop.js';
import type { DebugEvent } from '../../debugger/result.js';
import { InputError } from '../../errors.js';
import { createModel, type CreateModelOptions } from '../../llm/create.js';
import { parseModelSpec } from '../../llm/spec.js';
import { limitsFor, programAndTests, type CallControl, type ModelSource, type ToolContext } from '../context.js';
import { toolError, toolResult, type ToolResult } from '../results.js';
import type { FixInput } from '../schemas.js';

const DEFAULT_ITERATIONS = 3;

/**
 * The server's model, and the models a call may ask for instead: the same provider at the same
 * address. A caller must not be able to choose a command to run (`exec:`) or a server to send the
 * configured API key to.
 */
export function modelSource(spec: string, options: CreateModelOptions): ModelSource {
  const env = options.env ?? process.env;
  const keys = { apiKeyEnv: options.apiKeyEnv };
  const configured = parseModelSpec(spec, env, keys);
  return {
    spec,
    create(requested) {
      if (requested === undefined || requested === spec) return createModel(spec, options);
      const asked = parseModelSpec(requested, env, keys);
      const sameHome = asked.protocol !== 'exec' && configured.protocol !== 'exec' && asked.provider === configured.provider && asked.baseUrl === configured.baseUrl;
      if (!sameHome) throw new InputError(`model '${requested}' is not allowed here: this server may use ${configured.provider} models at its configured address only (its model is ${spec})`);
      return createModel(requested, options);
    },
  };
}

/**
 * fix: ldb's whole debugging loop with the server's model. Each stage is reported as an MCP
 * progress notification; cancelling the call stops the loop and its model request.
 */
export async function fixTool(context: ToolContext, args: FixInput, control: CallControl): Promise<ToolResult> {
  if (!context.models) throw new InputError('no model is configured: start the server with --model or LDB_MODEL');
  const model = context.models.create(args.model);
  const { program, cases } = await programAndTests(context, args);
  const result = await context.pool.use(
    (sandbox) =>
      debug({
        code: program.code,
        tests: cases,
        prompt: args.task,
        entryPoint: args.entryPoint,
        filename: program.filename,
        model,
        level: args.level ?? 'block',
        maxIterations: args.maxIterations ?? DEFAULT_ITERATIONS,
        limits: limitsFor(context, args),
        signal: control.signal,
        onEvent: (event) => {
          const message = progressMessage(event);
          if (message) control.progress?.(message);
        },
        sandbox,
      }),
    control.signal,
  );
  if (result.stopReason === 'aborted') return toolError(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
  const diff = unifiedDiff(program.code, result.best.code, { fromName: program.filename, toName: `${program.filename} (fixed)` });
  const data = {
    solved: result.solved,
    stopReason: result.stopReason,
    iterations: result.iterations.length,
    best: result.best,
    diff,
    usage: { promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens, calls: result.usage.calls, costUsd: result.usage.costUsd },
  };
  const head = result.solved
    ? `Fixed: every test passes (${result.best.passed}/${result.best.total}) after ${result.iterations.length - 1} patch(es).`
    : `Not fixed (${result.stopReason}): the best program passes ${result.best.passed}/${result.best.total} tests.`;
  return toolResult([head, diff.trimEnd() || 'No change from the program given.'].join('\n'), data);
}

function progressMessage(event: DebugEvent): string | undefined {
  switch (event.type) {
    case 'tests':
      return `iteration ${event.index + 1}: ${event.passed}/${event.total} tests pass`;
    case 'trace':
      return `iteration ${event.index + 1}: traced case ${event.failingCase}, asking the model to judge it`;
    case 'verdicts': {
      const wrong = event.verdicts?.filter((v) => !v.correct).map((v) => v.block) ?? [];
      return event.verdicts ? `iteration ${event.index + 1}: judged wrong: ${wrong.join(', ') || 'none'}` : `iteration ${event.index + 1}: verdicts unreadable`;
    }
    case 'patch':
      return `iteration ${event.index + 1}: the model proposed a patch; testing it`;
    default:
      return undefined;
  }
}
