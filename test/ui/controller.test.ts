import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../helpers/fake-openai.js';
import { splitTests } from '../../src/cases/split.js';
import { SessionController, type SessionInputs } from '../../src/ui/controller.js';
import { initialState, reduce, type Action, type SessionState } from '../../src/ui/state.js';
import { totalSteps } from '../../src/ui/steps.js';

// Two statements per block: the line level steps through them one by one.
const CODE = ['function area(w, h) {', '  const doubled = w * 2;', '  const result = doubled * h;', '  return result;', '}'].join('\n');
const TEST = 'assert.strictEqual(area(2, 3), 12);';

const controllers: SessionController[] = [];
afterEach(() => controllers.splice(0).forEach((c) => c.dispose()));

function session(extra: Partial<SessionInputs> = {}): { controller: SessionController; state: () => SessionState; actions: Action[] } {
  let state = initialState('area.js', null);
  const actions: Action[] = [];
  const dispatch = (action: Action) => {
    actions.push(action);
    state = reduce(state, action);
  };
  const inputs: SessionInputs = {
    file: 'area.js',
    loadCases: async () => splitTests(TEST),
    level: 'block',
    limits: {},
    env: {},
    readFile: async () => CODE,
    writeFile: async () => undefined,
    exists: async () => false,
    ...extra,
  };
  const controller = new SessionController(inputs, dispatch, () => state);
  controllers.push(controller);
  return { controller, state: () => state, actions };
}

describe('the session controller', () => {
  it('l switches the level block → line → function → block, re-tracing the case each time', async () => {
    const { controller, state } = session();
    await controller.start(CODE);
    expect(state().level).toBe('block');
    const blockSteps = totalSteps(state().recording!);

    await controller.switchLevel();
    expect(state().level).toBe('line');
    const lineSteps = totalSteps(state().recording!);
    expect(lineSteps).toBeGreaterThan(blockSteps);
    // One step per statement: each of the three lines of the body has a step of its own.
    const stepLines = state().recording!.trace.events.map((e) => state().blocks.get(e.block)!.loc.start.line);
    expect(stepLines).toEqual(expect.arrayContaining([2, 3, 4]));
    expect(state().message?.text).toBe(`level line (a step per statement): ${lineSteps} steps`);
    expect(state().busy).toBeNull();

    await controller.switchLevel();
    expect(state().level).toBe('function');
    expect(totalSteps(state().recording!)).toBe(blockSteps);
    await controller.switchLevel();
    expect(state().level).toBe('block');
    expect(state().recording!.trace.outcome.kind).toBe('pass');
  });

  it('--auto runs the debug loop iteration by iteration; r afterwards goes back to the program on disk', async () => {
    const fixture = (name: string) => readFileSync(new URL(`../../fixtures/js/${name}`, import.meta.url), 'utf8');
    const [code, fixed, tests] = [fixture('off-by-one-sum.js'), fixture('off-by-one-sum.fixed.js'), fixture('off-by-one-sum.test.js')];
    const verdicts = JSON.stringify({ verdicts: [{ block: 'sumTo#2', correct: false, explanation: 'i < n stops one short of n' }] });
    const fake = await startFakeOpenAI([{ reply: verdicts }, { reply: `\`\`\`js\n${fixed}\`\`\`` }]);
    try {
      const { controller, state, actions } = session({
        file: 'sum.js',
        loadCases: async () => splitTests(tests),
        readFile: async () => code,
        modelSpec: `openai-compatible:fake@${fake.url}`,
        modelOptions: { cache: false },
      });
      await controller.start(code);
      await controller.auto(5);
      // Live: the first iteration's failing run and its verdicts on the source, then the second iteration's program.
      const traced = actions.filter((a) => a.type === 'trace');
      expect(traced[0]).toMatchObject({ trace: { outcome: { kind: 'fail' } } });
      expect(actions).toContainEqual({ type: 'verdicts', judged: [expect.objectContaining({ id: 'sumTo#2', correct: false, lines: { start: 10, end: 10 } })] });
      expect(actions).toContainEqual({ type: 'iteration', index: 1 });
      const programs = actions.filter((a): a is Action & { type: 'program' } => a.type === 'program').map((a) => a.code);
      expect(programs).toContain(code);
      expect(programs.at(-1)).toBe(fixed);
      // The end: solved, the best program offered, the run of a (now passing) case on screen.
      expect(state().message?.text).toBe('auto: solved after 2 iterations; the best program passes 4 of 4; a writes it (keeps .orig), r rejects it');
      expect(state().patch?.code).toBe(fixed);
      expect(state().cases.every((c) => c.outcome.kind === 'pass')).toBe(true);
      expect(state().recording?.trace.outcome.kind).toBe('pass');
      expect(state().iteration).toBe(1);
      expect(state().busy).toBeNull();
      expect(fake.requests).toHaveLength(2);

      await controller.reject();
      expect(state().patch).toBeNull();
      expect(state().code).toBe(code);
      expect(state().cases.filter((c) => c.outcome.kind === 'pass')).toHaveLength(1);
      expect(state().message?.text).toBe('fix rejected');
    } finally {
      await fake.close();
    }
  });

  it('Esc during --auto stops the loop: "auto: cancelled", the spinner gone, no patch', async () => {
    const fake = await startFakeOpenAI([{ hang: true }]);
    try {
      const failing = 'assert.strictEqual(area(2, 3), 6);';
      const { controller, state } = session({ loadCases: async () => splitTests(failing), modelSpec: `openai-compatible:fake@${fake.url}`, modelOptions: { cache: false } });
      await controller.start(CODE);
      const running = controller.auto(3);
      while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(state().busy).toBe('debugging (auto)');
      controller.cancel();
      await running;
      expect(state().busy).toBeNull();
      expect(state().message).toEqual({ text: 'auto: cancelled', kind: 'error' });
      expect(state().patch).toBeNull();
      expect(state().code).toBe(CODE);
    } finally {
      await fake.close();
    }
  });
});
