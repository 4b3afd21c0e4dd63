// `exec:<command>`: any command-line model. The prompt goes to stdin, the reply comes from stdout.
import { spawn } from 'node:child_process';
import { ModelError } from '../errors.js';
import { DEFAULT_MAX_TOKENS, estimateTokens, resolveRequest, type ChatMessage, type Completion, type CompletionRequest, type Model } from './model.js';
import { abortedError } from './error-messages.js';
import { DEFAULT_TIMEOUT_MS } from './retry-policy.js';
import type { ExecConfig } from './spec.js';

export interface ExecOptions {
  /** Default 120 s; the command (and everything it started) is killed when it runs out. */
  timeoutMs?: number;
  /** The output budget when the request names none (--max-tokens). Default 2048. */
  maxTokens?: number;
  /** Passed on as LDB_REASONING_EFFORT (--reasoning-effort). */
  reasoningEffort?: string;
}

/**
 * Besides the prompt on stdin the command gets LDB_TEMPERATURE, LDB_MAX_TOKENS, LDB_RESPONSE_FORMAT
 * (and LDB_REASONING_EFFORT when set)
 * in its environment, for wrappers that can pass them on to the model.
 */
export function createExecModel(config: ExecConfig, options: ExecOptions = {}): Model {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    id: config.id,
    async complete(request: CompletionRequest): Promise<Completion> {
      const resolved = resolveRequest(request);
      const prompt = flattenMessages(resolved.messages);
      const result = await runCommand(config, prompt, {
        timeoutMs,
        signal: resolved.signal,
        env: {
          LDB_TEMPERATURE: String(resolved.temperature),
          LDB_MAX_TOKENS: String(resolved.maxTokens ?? options.maxTokens ?? DEFAULT_MAX_TOKENS),
          LDB_RESPONSE_FORMAT: resolved.responseFormat,
          ...(options.reasoningEffort ? { LDB_REASONING_EFFORT: options.reasoningEffort } : {}),
        },
      });
      const text = result.stdout.trimEnd();
      return {
        text,
        model: config.command,
        usage: { promptTokens: estimateTokens(prompt), completionTokens: estimateTokens(text), costUsd: null, cached: false },
      };
    },
  };
}

/** `### system\n...\n\n### user\n...`: plain enough for any CLI, and the roles stay visible. */
export function flattenMessages(messages: ChatMessage[]): string {
  return `${messages.map((m) => `### ${m.role}\n${m.content}`).join('\n\n')}\n`;
}

interface CommandResult {
  stdout: string;
  stderr: string;
}

function runCommand(
  config: ExecConfig,
  input: string,
  options: { timeoutMs: number; signal: AbortSignal | undefined; env: Record<string, string> },
): Promise<CommandResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortedError(config));
  // Its own process group, so a kill reaches whatever the shell started too.
  const ownGroup = process.platform !== 'win32';
  const child = spawn(config.command, {
    shell: true,
    detached: ownGroup,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  return new Promise<CommandResult>((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    const finish = (error: ModelError | undefined, result?: CommandResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else if (result) resolve(result);
    };
    const kill = (): void => {
      try {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const onAbort = (): void => {
      kill();
      finish(abortedError(config));
    };
    const timer = setTimeout(() => {
      kill();
      const hint = 'raise the timeout or check the command';
      finish(new ModelError(`${config.id}: no reply within ${Math.round(options.timeoutMs / 100) / 10} s, so the command was stopped: ${hint}`, { code: 'timeout', hint }));
    }, options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A command that exits without reading its input makes the write fail with EPIPE; its exit status tells the story.
    child.stdin.on('error', () => {});
    child.stdin.end(input);

    child.on('error', (error) => {
      finish(new ModelError(`${config.id}: cannot start the command (${error.message}): check the command after exec:`, { code: 'exec', cause: error }));
    });
    child.on('close', (code, killedBy) => {
      const result = { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
      if (code === 0 && result.stdout.trim() !== '') finish(undefined, result);
      else finish(commandFailure(config, code, killedBy, result));
    });
  });
}

function commandFailure(config: ExecConfig, code: number | null, killedBy: NodeJS.Signals | null, result: CommandResult): ModelError {
  let what: string;
  if (code === 0) what = 'printed nothing on stdout';
  else if (code === 127) what = 'failed (exit code 127: command not found)';
  else if (code !== null) what = `failed (exit code ${code})`;
  else what = `was killed by ${killedBy ?? 'a signal'}`;
  const tail = stderrTail(result.stderr);
  const hint = 'run the command by hand with a prompt on stdin to see what is wrong';
  return new ModelError(`${config.id}: the command ${what}${tail ? `: ${tail}` : `: ${hint}`}`, { code: 'exec', hint });
}

/** The last few stderr lines on one line: where commands put the reason they failed. */
function stderrTail(stderr: string, lines = 3, max = 300): string {
  const tail = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-lines)
    .join(' | ');
  return tail.length > max ? `…${tail.slice(tail.length - max + 1)}` : tail;
}
