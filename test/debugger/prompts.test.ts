import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceTest } from '../../src/api.js';
import { compactTrace, type CompactTrace } from '../../src/debugger/compact.js';
import type { DebugLevel } from '../../src/debugger/result.js';
import {
  describeFailure,
  FIX_SYSTEM_PROMPT,
  fixMessages,
  fixRetryMessage,
  seedMessages,
  SEED_SYSTEM_PROMPT,
  verdictRetryMessage,
  verificationMessages,
  VERIFY_SYSTEM_PROMPT,
} from '../../src/debugger/prompts.js';
import { countTokens } from '../../src/debugger/tokens.js';
import { parseVerdicts, type Verdict } from '../../src/debugger/verdicts.js';
import type { ChatMessage } from '../../src/llm/model.js';
import { parseProgram } from '../../src/program/program.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import type { Trace } from '../../src/sandbox/trace.js';

const FILENAME = 'off-by-one-sum.js';
const CODE = readFileSync(new URL('../../fixtures/js/off-by-one-sum.js', import.meta.url), 'utf8');
const TEST = { source: 'assert.strictEqual(sumTo(3), 6);' };

const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());
let trace: Trace;
beforeAll(async () => {
  trace = await traceTest({ code: CODE, test: TEST.source, filename: FILENAME, sandbox });
});

const compactAt = (level: DebugLevel): CompactTrace =>
  compactTrace({ trace, blocks: parseProgram(CODE, { filename: FILENAME }).blocks, source: CODE, level, budgetTokens: 1500 });

const verification = (level: DebugLevel): ChatMessage[] =>
  verificationMessages({ code: CODE, filename: FILENAME, testCase: TEST, outcome: trace.outcome, compact: compactAt(level), level });

/** Messages as a reviewer reads them: role headers, then the text exactly as sent. */
const transcript = (messages: ChatMessage[]): string => messages.map((m) => `=== ${m.role} ===\n${m.content}\n`).join('\n');

// A reply a model could give, for the fix prompt's snapshot.
const VERDICTS: Verdict[] = [
  { block: 'sumTo#1', correct: true, explanation: 'total starts at 0, as the sum of no numbers should.' },
  {
    block: 'sumTo#2',
    correct: false,
    explanation: 'The condition i < n ends the loop before i reaches n, so n is never added; it should be i <= n.',
  },
  { block: 'sumTo#3', correct: true, explanation: 'Adds i to total.' },
  { block: 'sumTo#4', correct: true, explanation: 'Returns the total.' },
];

describe('prompt snapshots for fixtures/js/off-by-one-sum.js, case sumTo(3) === 6', () => {
  for (const level of ['block', 'line', 'function'] as const) {
    it(`verification at ${level} level`, async () => {
      await expect(transcript(verification(level))).toMatchFileSnapshot(`./__snapshots__/prompt-${level}.txt`);
    });
  }

  it('fix', async () => {
    const messages = fixMessages({
      code: CODE,
      filename: FILENAME,
      testCase: TEST,
      outcome: trace.outcome,
      verdicts: VERDICTS,
      targets: compactAt('block').targets,
      entryPoint: 'sumTo',
    });
    await expect(transcript(messages)).toMatchFileSnapshot('./__snapshots__/prompt-fix.txt');
  });

  it('seed, JavaScript and TypeScript', async () => {
    const task = CODE.slice(0, CODE.indexOf('{') + 1);
    const js = transcript(seedMessages({ task, language: 'js', entryPoint: 'sumTo' }));
    const ts = transcript(seedMessages({ task, language: 'typescript', entryPoint: 'sumTo' }));
    await expect(`${js}\n${ts}`).toMatchFileSnapshot('./__snapshots__/prompt-seed.txt');
  });
});

describe('verification prompt', () => {
  it('asks for one verdict per shown target, with ids the verdict parser maps back', () => {
    for (const level of ['block', 'line', 'function'] as const) {
      const compact = compactAt(level);
      const ids = compact.targets.map((t) => t.id);
      const [system, user] = verification(level);
      expect(system).toEqual({ role: 'system', content: VERIFY_SYSTEM_PROMPT });
      expect(user!.content).toContain(`, in ${level === 'function' ? 'this' : 'source'} order: ${ids.join(', ')}.`);
      expect(user!.content).toContain(compact.text);
      const answer = JSON.stringify({ verdicts: ids.map((block) => ({ block, correct: true, explanation: '' })) });
      expect(parseVerdicts(answer, ids)).toMatchObject({ ok: true, warnings: [] });
    }
  });

  it('stays compact: the whole block-level prompt of a small fixture is a few hundred tokens', () => {
    const tokens = verification('block').reduce((sum, m) => sum + countTokens(m.content), 0);
    expect(tokens).toBeLessThan(1000);
  });

  it('uses the task when it is given, and the console output when there is some', () => {
    const [, user] = verificationMessages({
      task: 'Return the sum 1 + 2 + … + n.',
      code: CODE,
      testCase: TEST,
      outcome: trace.outcome,
      compact: compactAt('block'),
      level: 'block',
      console: ['total so far 3'],
    });
    expect(user!.content).toMatch(/^Task:\nReturn the sum 1 \+ 2 \+ … \+ n\.\n\nProgram \(program\.js, lines numbered\):/);
    expect(user!.content).toContain('It failed: expected 6, got 3.\nConsole output:\ntotal so far 3');
  });
});

describe('one program text, one way of quoting blocks', () => {
  it('shows the program identically in the verification and fix prompts, trailing spaces included', () => {
    const spaced = CODE.replace('let total = 0;', 'let total = 0;   ');
    const section = (content: string): string => content.slice(content.indexOf('Program ('), content.indexOf('Failing test:'));
    const compact = compactTrace({ trace, blocks: parseProgram(spaced).blocks, source: spaced, level: 'block', budgetTokens: 1500 });
    const verify = verificationMessages({ code: spaced, filename: FILENAME, testCase: TEST, outcome: trace.outcome, compact, level: 'block' })[1]!.content;
    const fix = fixMessages({ code: spaced, filename: FILENAME, testCase: TEST, outcome: trace.outcome, verdicts: VERDICTS })[1]!.content;
    expect(section(fix)).toBe(section(verify));
  });

  it('stars the blocks whose steps are cut and says why entry blocks are not asked', () => {
    const compact = compactAt('block');
    const starred = { ...compact, targets: compact.targets.map((t) => (t.id === 'sumTo#3' ? { ...t, shown: false } : t)) };
    const content = verificationMessages({ code: CODE, testCase: TEST, outcome: trace.outcome, compact: starred, level: 'block' })[1]!.content;
    expect(content).toContain('in source order: sumTo#1, sumTo#2, sumTo#3*, sumTo#4.\n* ran only in steps cut from the trace');
    expect(content).toContain("(Entry blocks hold the caller's arguments: not asked.)");
  });

  it('names missing code in the fix prompt, with or without wrong blocks', () => {
    const missing = [{ afterLine: 11, explanation: 'n itself is never added.' }];
    const alone = fixMessages({ code: CODE, testCase: TEST, outcome: trace.outcome, verdicts: [], missing })[1]!.content;
    expect(alone).toContain('A debugger traced this test and found code missing:\n- after line 11: n itself is never added.');
    const both = fixMessages({ code: CODE, testCase: TEST, outcome: trace.outcome, verdicts: VERDICTS, missing })[1]!.content;
    expect(both).toContain('it should be i <= n.\n  | for (let i = 1; i < n; i++)\nIt found code missing:\n- after line 11:');
  });
});

describe('describeFailure', () => {
  it('says what went wrong for every kind of outcome', () => {
    expect(describeFailure({ kind: 'fail', message: 'Expected values to be strictly equal', expected: '6', actual: '3' })).toBe(
      'It failed: expected 6, got 3.',
    );
    expect(describeFailure({ kind: 'fail', message: 'The expression evaluated to a falsy value:\n\n  assert.ok(x)\n' })).toBe(
      'It failed: The expression evaluated to a falsy value:',
    );
    const error = { kind: 'error', name: 'TypeError', message: "Cannot read properties of undefined (reading 'name')" } as const;
    expect(describeFailure({ ...error, loc: { file: 'top.ts', line: 21, column: 14 } }, 'top.ts')).toBe(
      "It threw TypeError at line 21: Cannot read properties of undefined (reading 'name')",
    );
    expect(describeFailure({ ...error, loc: { file: 'test.js', line: 2, column: 0 } }, 'top.ts')).toBe(
      "It threw TypeError in test.js line 2: Cannot read properties of undefined (reading 'name')",
    );
    expect(describeFailure({ kind: 'timeout', limitMs: 3000 })).toBe(
      'It did not finish: the run was stopped after 3000 ms (an endless loop, or far too slow).',
    );
    expect(describeFailure({ kind: 'memory', limitMb: 128 })).toBe('It ran out of memory (limit 128 MB).');
  });
});

describe('fix prompt', () => {
  const base = { code: CODE, filename: FILENAME, testCase: TEST, entryPoint: 'sumTo' };

  it('names the wrong blocks with their code even without the trace\'s targets', () => {
    const [system, user] = fixMessages({ ...base, outcome: trace.outcome, verdicts: VERDICTS });
    expect(system).toEqual({ role: 'system', content: FIX_SYSTEM_PROMPT });
    expect(user!.content).toContain(`- sumTo#2, line 10: ${VERDICTS[1]!.explanation}\n  | for (let i = 1; i < n; i++)\n`);
    expect(user!.content).toContain('Judged correct: sumTo#1, sumTo#3, sumTo#4.');
    expect(user!.content).toContain('Keep sumTo(n) with the same name and parameters.');
  });

  it('maps line and call ids back to code', () => {
    const lineVerdicts: Verdict[] = [{ block: 'L10', correct: false, explanation: 'off by one' }];
    expect(fixMessages({ ...base, outcome: trace.outcome, verdicts: lineVerdicts })[1]!.content).toContain(
      '- L10, line 10: off by one\n  | for (let i = 1; i < n; i++) {',
    );
    const callVerdicts: Verdict[] = [{ block: 'sumTo/call-1', correct: false, explanation: 'returns 3, not 6' }];
    const targets = compactAt('function').targets;
    expect(fixMessages({ ...base, outcome: trace.outcome, verdicts: callVerdicts, targets })[1]!.content).toContain(
      '- sumTo/call-1 (the call sumTo(n = 3)): returns 3, not 6',
    );
  });

  it('still asks for a fix when the verdicts are missing or all say correct', () => {
    const unread = fixMessages({ ...base, outcome: trace.outcome, verdicts: null })[1]!.content;
    expect(unread).toContain('A debugger traced this test, but its findings could not be read.');
    const allRight = fixMessages({ ...base, outcome: trace.outcome, verdicts: VERDICTS.map((v) => ({ ...v, correct: true })) })[1]!.content;
    expect(allRight).toContain('judged every part it checked correct, yet the test fails');
  });

  it('fences TypeScript as ts', () => {
    const content = fixMessages({ ...base, filename: 'sum.ts', outcome: trace.outcome, verdicts: null })[1]!.content;
    expect(content).toContain('Program (sum.ts, lines numbered):\n```\n');
    expect(content).toContain('in one ```ts code block');
  });
});

describe('retry messages', () => {
  it('quote the parse error and ask again for JSON only', () => {
    expect(verdictRetryMessage('the reply contains no JSON object', ['sumTo#1', 'sumTo#2'])).toEqual({
      role: 'user',
      content:
        'Your reply could not be read: the reply contains no JSON object.\n' +
        'Reply again with only the JSON object {"verdicts": [{"block": "<id>", "correct": true or false, "explanation": "<one or two sentences>"}], ' +
        '"missing": [{"after_line": <n>, "explanation": "<code the task needs that is absent or never ran>"}]}, ' +
        'one entry per id (sumTo#1, sumTo#2), and no other text.',
    });
  });

  it('say why the program could not be used', () => {
    expect(fixRetryMessage('the code no longer defines sumTo')).toEqual({
      role: 'user',
      content: 'That reply could not be used: the code no longer defines sumTo.\nReply again with the complete program in one fenced code block.',
    });
  });

  it('seed prompts say which language and which function', () => {
    const [system, user] = seedMessages({ task: 'Sum 1..n.', language: 'ts' });
    expect(system!.content).toBe(SEED_SYSTEM_PROMPT);
    expect(user!.content).toContain('Write a TypeScript program for this task:\n\nSum 1..n.');
    expect(user!.content).toContain('define the function the task describes at top level');
  });
});
