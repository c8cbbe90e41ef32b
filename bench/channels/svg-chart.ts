/**
 * A small line chart as SVG text, so the bench draws its own figure without a plotting dependency.
 */

/** One line of the chart. */
export interface Series {
  readonly label: string;
  readonly colour: string;
  readonly values: readonly number[];
}

/** Options of the chart. */
export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** An x position to mark with a dashed line, and its caption. */
  readonly marker?: { readonly at: number; readonly caption: string };
}

const WIDTH = 720;
const HEIGHT = 400;
const MARGIN = { left: 70, right: 150, top: 40, bottom: 50 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The SVG of a line chart of `series` against x = 1 … n. */
export function lineChart(series: readonly Series[], options: ChartOptions): string {
  const count = Math.max(...series.map((line) => line.values.length));
  const maxY = Math.max(...series.flatMap((line) => line.values), 0) * 1.1 || 1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (index: number) => MARGIN.left + (count <= 1 ? 0 : (index / (count - 1)) * plotWidth);
  const y = (value: number) => MARGIN.top + plotHeight - (value / maxY) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotHeight}" x2="${MARGIN.left + plotWidth}" y2="${MARGIN.top + plotHeight}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotHeight}" stroke="black"/>`,
  ];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (maxY * tick) / 4;
    parts.push(
      `<line x1="${MARGIN.left - 4}" y1="${y(value)}" x2="${MARGIN.left + plotWidth}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(value) + 4}" text-anchor="end">${value.toFixed(4)}</text>`,
    );
  }
  for (let index = 0; index < count; index += Math.max(1, Math.round(count / 10))) {
    parts.push(
      `<text x="${x(index)}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${index + 1}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text x="16" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotHeight / 2})">${escapeXml(options.yLabel)}</text>`,
  );
  if (options.marker) {
    const at = x(options.marker.at - 1);
    parts.push(
      `<line x1="${at}" y1="${MARGIN.top}" x2="${at}" y2="${MARGIN.top + plotHeight}" stroke="#888" stroke-dasharray="4 4"/>`,
      `<text x="${at + 4}" y="${MARGIN.top + 12}" fill="#555">${escapeXml(options.marker.caption)}</text>`,
    );
  }
  series.forEach((line, order) => {
    const points = line.values
      .map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`)
      .join(' ');
    const legendY = MARGIN.top + 16 + order * 20;
    parts.push(
      `<polyline fill="none" stroke="${line.colour}" stroke-width="2" points="${points}"/>`,
      `<line x1="${WIDTH - MARGIN.right + 12}" y1="${legendY - 4}" x2="${WIDTH - MARGIN.right + 32}" y2="${legendY - 4}" stroke="${line.colour}" stroke-width="2"/>`,
      `<text x="${WIDTH - MARGIN.right + 38}" y="${legendY}">${escapeXml(line.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
