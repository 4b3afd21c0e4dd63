import { escapeHtml } from './escape.js';

export interface ChartSeries {
  name: string;
  /** Values 0..1, one per iteration (0 = the seed). */
  values: number[];
}

const WIDTH = 640;
const HEIGHT = 300;
const MARGIN = { left: 52, right: 150, top: 20, bottom: 42 };
const COLOURS = ['#2563eb', '#dc2626', '#059669', '#9333ea'];

/** A line chart of pass@1 by iteration as inline SVG: no script, no fonts or images to fetch. */
export function passAt1Chart(series: ChartSeries[]): string {
  const turns = Math.max(1, ...series.map((s) => s.values.length - 1));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (k: number) => MARGIN.left + (plotW * k) / turns;
  const y = (v: number) => MARGIN.top + plotH * (1 - v);
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${y(tick) + 4}" text-anchor="end" font-size="12">${tick * 100}%</text>`);
  }
  const step = Math.max(1, Math.ceil(turns / 10));
  for (let k = 0; k <= turns; k += step) {
    parts.push(`<text x="${x(k)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" font-size="12">${k}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle" font-size="12">debugging turns (0 = seed program)</text>`);
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#6b7280"/>`);
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#6b7280"/>`);
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const points = s.values.map((v, k) => `${x(k).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline class="series" data-series="${escapeHtml(s.name)}" fill="none" stroke="${colour}" stroke-width="2.5" points="${points}"/>`);
    for (const [k, v] of s.values.entries()) {
      parts.push(`<circle cx="${x(k).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${colour}"><title>${escapeHtml(s.name)}: turn ${k}, ${(v * 100).toFixed(1)}%</title></circle>`);
    }
    const legendY = MARGIN.top + 14 + i * 20;
    parts.push(`<rect x="${MARGIN.left + plotW + 16}" y="${legendY - 9}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${MARGIN.left + plotW + 34}" y="${legendY + 1}" font-size="12">${escapeHtml(truncate(s.name, 18))}</text>`);
  });
  return (
    `<svg id="pass-at-1-chart" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
    `role="img" aria-label="pass@1 by debugging turn" font-family="system-ui, sans-serif">${parts.join('')}</svg>`
  );
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
