import { afterEach, describe, expect, it } from 'vitest';
import { splitTests } from '../../src/cases/split.js';
import { SessionController, type SessionInputs } from '../../src/ui/controller.js';
import { initialState, reduce, type Action, type SessionState } from '../../src/ui/state.js';
import { totalSteps } from '../../src/ui/steps.js';

// Two statements per block: the line level steps through them one by one.
const CODE = ['function area(w, h) {', '  const doubled = w * 2;', '  const result = doubled * h;', '  return result;', '}'].join('\n');
const TEST = 'assert.strictEqual(area(2, 3), 12);';

const controllers: SessionController[] = [];
afterEach(() => controllers.splice(0).forEach((c) => c.dispose()));

function session(): { controller: SessionController; state: () => SessionState } {
  let state = initialState('area.js', null);
  const dispatch = (action: Action) => void (state = reduce(state, action));
  const inputs: SessionInputs = {
    file: 'area.js',
    loadCases: async () => splitTests(TEST),
    level: 'block',
    limits: {},
    env: {},
    readFile: async () => CODE,
    writeFile: async () => undefined,
    exists: async () => false,
  };
  const controller = new SessionController(inputs, dispatch, () => state);
  controllers.push(controller);
  return { controller, state: () => state };
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
});
