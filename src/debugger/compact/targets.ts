import type { VerdictTarget } from '../compact.js';
import type { Item } from './outline.js';
import type { Layout } from './units.js';

/** The shown blocks, lines or calls, each once; lines in line order so the model reads them top down. */
export function targetsOf(items: Item[], dropped: Set<number>, layout: Layout): VerdictTarget[] {
  const shown = items.flatMap((item, i) => (item.kind === 'unit' && !dropped.has(i) ? [layout.units[item.unit]!] : []));
  const primary = mergeTargets(shown.flatMap((u) => u.targets));
  const targets = primary.length > 0 ? primary : mergeTargets(shown.flatMap((u) => u.fallbackTargets));
  return layout.level === 'line' ? targets.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1))) : targets;
}

/** One target per id, with the blocks of every unit that asked about it (a line can lie in several blocks). */
function mergeTargets(targets: VerdictTarget[]): VerdictTarget[] {
  const byId = new Map<string, VerdictTarget>();
  for (const target of targets) {
    const known = byId.get(target.id);
    if (!known) byId.set(target.id, { ...target, blocks: [...target.blocks] });
    else for (const b of target.blocks) if (!known.blocks.includes(b)) known.blocks.push(b);
  }
  return [...byId.values()];
}
