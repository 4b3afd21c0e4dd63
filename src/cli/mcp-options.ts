import type { Command } from './command.js';
import { HELP_OPTION, LIMIT_OPTIONS, MODEL_FOOTER, MODEL_OPTIONS } from './common-options.js';

/** `ldb mcp`: its options table and help; the code is in mcp-command.ts, loaded when it runs. */
export const MCP_COMMAND: Command = {
  name: 'mcp',
  synopsis: 'mcp',
  summary: "Serve ldb's debugger as MCP tools for coding agents (stdio, or --http)",
  usage: ['mcp [options]                  serve over stdio (what agents start)', 'mcp --http [host:]port [options]  serve Streamable HTTP at http://host:port/mcp'],
  description: `Tools: run_tests, trace_test, query_trace, debug_context, check_verdicts, check_patch, and fix
(only with a model). Programs and tests are passed as text or as paths under --root.`,
  options: [
    { name: 'root', kind: 'text', value: '<dir>', help: 'Directory the tools may read files from (default: the working directory)' },
    {
      name: 'http',
      kind: 'text',
      value: '[host:]port',
      help: 'Streamable HTTP instead of stdio; host defaults to 127.0.0.1. Host and\nOrigin headers are checked (DNS-rebinding protection)',
    },
    {
      name: 'token',
      kind: 'text',
      value: '<token>',
      help: 'Bearer token HTTP clients must send (default: $LDB_MCP_TOKEN); required\nwhen host is not a loopback address',
    },
    { name: 'allowed-host', kind: 'list', value: '<name>', help: 'Another host name HTTP clients may use (repeatable)' },
    { name: 'concurrency', kind: 'count', value: '<n>', min: 1, max: 64, help: 'Tool calls running user code at once, one sandbox each (default 2)' },
    ...LIMIT_OPTIONS,
    ...MODEL_OPTIONS.map((option) => (option.name === 'model' ? { ...option, help: `Model of the fix tool (no model, no fix tool): ${option.help}` } : option)),
    HELP_OPTION,
  ],
  footer: `${MODEL_FOOTER}

Examples:
  claude mcp add ldb -- ldb mcp --root "$PWD"
  ldb mcp --http 8765
  LDB_MCP_TOKEN=secret ldb mcp --http 0.0.0.0:8765 --allowed-host build-box.lan`,
  load: async () => (await import('./mcp-command.js')).runMcp,
};
