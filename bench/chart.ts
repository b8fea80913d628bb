// A small SVG chart (no dependencies): search time and memory versus distinct states,
// log-log, with a dotted line of slope 1 (cost proportional to states) through the largest
// point of the first series. Points on that line mean linear growth. Peak RSS includes the
// fixed cost of a Node process (about 90 MB), so the stores are plotted too.

export interface Point {
  label: string;
  distinct: number;
  seconds: number;
  peakMb: number;
  /** migcheck only: MB held by the seen-set, parent pointers and frontier. */
  storeMb?: number;
}

const W = 360;
const H = 260;
const PAD = { l: 56, r: 14, t: 30, b: 44 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

function fmt(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(v);
}

function panel(x0: number, title: string, yLabel: string, series: { name: string; color: string; pts: [number, number][] }[]): string {
  const all = series.flatMap((s) => s.pts);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter((y) => y > 0);
  const xlo = 10 ** Math.floor(Math.log10(Math.min(...xs)));
  const xhi = 10 ** Math.ceil(Math.log10(Math.max(...xs)));
  const ylo = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yhi = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const px = (x: number) => x0 + PAD.l + ((Math.log10(x) - Math.log10(xlo)) / (Math.log10(xhi) - Math.log10(xlo))) * (W - PAD.l - PAD.r);
  const py = (y: number) => PAD.t + (1 - (Math.log10(y) - Math.log10(ylo)) / (Math.log10(yhi) - Math.log10(ylo))) * (H - PAD.t - PAD.b);
  const out: string[] = [];
  out.push(`<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
  out.push(`<rect x="${x0 + PAD.l}" y="${PAD.t}" width="${W - PAD.l - PAD.r}" height="${H - PAD.t - PAD.b}" fill="none" stroke="#999"/>`);
  for (const d of decades(xlo, xhi)) {
    out.push(`<line x1="${px(d)}" y1="${PAD.t}" x2="${px(d)}" y2="${H - PAD.b}" stroke="#eee"/>`);
    out.push(`<text x="${px(d)}" y="${H - PAD.b + 14}" text-anchor="middle">${fmt(d)}</text>`);
  }
  for (const d of decades(ylo, yhi)) {
    out.push(`<line x1="${x0 + PAD.l}" y1="${py(d)}" x2="${x0 + W - PAD.r}" y2="${py(d)}" stroke="#eee"/>`);
    out.push(`<text x="${x0 + PAD.l - 4}" y="${py(d) + 4}" text-anchor="end">${fmt(d)}</text>`);
  }
  out.push(`<text x="${x0 + PAD.l + (W - PAD.l - PAD.r) / 2}" y="${H - 8}" text-anchor="middle">distinct states</text>`);
  out.push(`<text transform="translate(${x0 + 14},${PAD.t + (H - PAD.t - PAD.b) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  // Slope-1 reference through the largest point of the first series.
  const ref = series[0].pts.reduce((a, b) => (b[0] > a[0] ? b : a), series[0].pts[0]);
  if (ref) {
    const k = ref[1] / ref[0];
    const a = Math.max(xlo, ylo / k);
    const b = Math.min(xhi, yhi / k);
    out.push(`<line x1="${px(a)}" y1="${py(k * a)}" x2="${px(b)}" y2="${py(k * b)}" stroke="#888" stroke-dasharray="3,3"/>`);
  }
  series.forEach((s, si) => {
    const sorted = [...s.pts].filter((p) => p[1] > 0).sort((a, b) => a[0] - b[0]);
    if (sorted.length > 1) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${sorted.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ')}"/>`);
    for (const p of sorted) out.push(`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3" fill="${s.color}"/>`);
    out.push(`<circle cx="${x0 + PAD.l + 10}" cy="${PAD.t + 12 + si * 14}" r="3" fill="${s.color}"/><text x="${x0 + PAD.l + 18}" y="${PAD.t + 16 + si * 14}">${esc(s.name)}</text>`);
  });
  out.push(`<line x1="${x0 + PAD.l + 4}" y1="${PAD.t + 12 + series.length * 14}" x2="${x0 + PAD.l + 16}" y2="${PAD.t + 12 + series.length * 14}" stroke="#888" stroke-dasharray="3,3"/><text x="${x0 + PAD.l + 18}" y="${PAD.t + 16 + series.length * 14}">slope 1 (linear)</text>`);
  return out.join('\n');
}

/** The chart as an SVG document: two log-log panels, time and peak RSS against distinct states. */
/** `what`: the instances, for the first panel's title (`vfio N=4..7, V=1`). */
export function growthChart(mig: Point[], spin: Point[], command: string, what = 'vfio N=4..7, V=1'): string {
  const series = (key: 'seconds' | 'peakMb') => [
    ...(key === 'peakMb' ? [{ name: 'migcheck stores', color: '#2ca02c', pts: mig.map((p) => [p.distinct, p.storeMb ?? 0] as [number, number]) }] : []),
    { name: key === 'peakMb' ? 'migcheck peak RSS' : 'migcheck', color: '#1f77b4', pts: mig.map((p) => [p.distinct, p[key]] as [number, number]) },
    ...(spin.length ? [{ name: key === 'peakMb' ? 'SPIN peak RSS' : 'SPIN', color: '#d62728', pts: spin.map((p) => [p.distinct, p[key]] as [number, number]) }] : []),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 16}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel(0, `search time vs distinct (${what})`, 'seconds', series('seconds')),
    panel(W, 'memory vs distinct', 'MB', series('peakMb')),
    `<text x="6" y="${H + 10}" fill="#666">${esc(command)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
