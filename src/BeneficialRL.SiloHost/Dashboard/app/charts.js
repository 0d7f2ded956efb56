// Figures: uPlot line charts (fast on thousands of points, canvas), and small SVG forest plots and heatmaps.
// Every figure has a caption naming its units and a "data" button that saves the JSON it was drawn from.
import uPlot from '/ui/vendor/uPlot.esm.js';
import { h, svg, num, fmt, signed } from './dom.js';
import { download } from './api.js';

const dashes = [[], [6, 3], [2, 3], [10, 3, 2, 3]];

/** The figure frame: title, the plot, a caption and the data button. */
export function figure(title, body, { caption, data, dataName, id } = {}) {
  const button = data ? h('button', {
    type: 'button', class: 'link data',
    onclick: () => typeof data === 'string' ? download(data, dataName || 'data.json') : saveJson(data, dataName || 'data.json'),
  }, 'data') : null;
  return h('figure', { class: 'chart', id, dataset: { figure: title } },
    h('div', { class: 'figure-head' }, h('h3', {}, title), button),
    body,
    caption ? h('figcaption', {}, caption) : null);
}

function saveJson(value, name) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * A line chart of several series over a shared x axis.
 * series: [{ label, color, dash (index), points: [[x, y], ...] }]
 */
export function lineChart({ xLabel, yLabel, series, width = 520, height = 240, yRange }) {
  const host = h('div', { class: 'uplot-host', role: 'img', 'aria-label': `${yLabel} against ${xLabel}: ${series.map(s => s.label).join(', ')}` });
  const xs = [...new Set(series.flatMap(s => s.points.map(p => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const data = [xs, ...series.map(s => {
    const ys = new Array(xs.length).fill(null);
    for (const [x, y] of s.points) { const v = num(y); ys[index.get(x)] = Number.isNaN(v) ? null : v; }
    return ys;
  })];
  const opts = {
    width, height,
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: false }, y: yRange ? { range: yRange } : {} },
    axes: [{ label: xLabel, labelSize: 18 }, { label: yLabel, labelSize: 18, size: 56 }],
    series: [{ label: xLabel }, ...series.map(s => ({
      label: s.label, stroke: s.color, width: 1.5, dash: dashes[(s.dash || 0) % dashes.length], spanGaps: true,
      points: { show: xs.length <= 40 }, value: (u, v) => v === null ? '—' : fmt(v, 3),
    }))],
  };
  // uPlot measures its container: draw once attached, and again when the page width changes.
  requestAnimationFrame(() => {
    let drawn = Math.max(280, host.clientWidth || width);
    const plot = new uPlot({ ...opts, width: drawn }, data, host);
    // Redraw only when the width really changed (the observer also fires once at the start).
    new ResizeObserver(() => {
      const w = Math.max(280, host.clientWidth);
      if (host.clientWidth > 0 && w !== drawn) { drawn = w; plot.setSize({ width: w, height }); }
    }).observe(host);
  });
  return host;
}

/**
 * A forest plot: one row per benchmark, the estimate with its interval, zero marked.
 * rows: [{ label, estimate, lower, upper, flag }] in points.
 */
export function forestPlot(rows, { xLabel = 'treatment − baseline (points)' } = {}) {
  // The label column fits the longest benchmark id (about 6.5 px a character at 11 px), within reason.
  const longest = Math.max(10, ...rows.map(r => String(r.label).length));
  const rowHeight = 16, left = Math.min(380, Math.round(longest * 6.5) + 12), right = 130, width = left + 560, top = 8, bottom = 36;
  const height = top + bottom + rows.length * rowHeight;
  const values = rows.flatMap(r => [num(r.lower), num(r.upper), num(r.estimate)]).filter(v => Number.isFinite(v));
  const extent = Math.max(1, ...values.map(Math.abs));
  const x = v => left + ((num(v) + extent) / (2 * extent)) * (width - left - right);
  const plot = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'forest', role: 'img', 'aria-label': `Forest plot of ${rows.length} benchmarks` });
  plot.append(svg('line', { x1: x(0), x2: x(0), y1: top, y2: height - bottom, class: 'zero' }));
  rows.forEach((r, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const colour = r.flag === 'up' ? '#009E73' : r.flag === 'down' ? '#D55E00' : '#0072B2';
    plot.append(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'label' }, r.label));
    if (Number.isFinite(num(r.lower)) && Number.isFinite(num(r.upper)))
      plot.append(svg('line', { x1: x(r.lower), x2: x(r.upper), y1: y, y2: y, stroke: colour, 'stroke-width': 2 }));
    if (Number.isFinite(num(r.estimate))) {
      const shape = r.flag === 'down' ? svg('rect', { x: x(r.estimate) - 4, y: y - 4, width: 8, height: 8, fill: colour })
        : svg('circle', { cx: x(r.estimate), cy: y, r: 4, fill: colour });
      shape.append(svg('title', {}, `${r.label}: ${signed(r.estimate)} [${signed(r.lower)}, ${signed(r.upper)}] points`));
      plot.append(shape);
    }
    plot.append(svg('text', { x: width - right + 6, y: y + 4, class: 'value' }, `${signed(r.estimate)} [${signed(r.lower)}, ${signed(r.upper)}]`));
  });
  const axisY = height - bottom + 4;
  for (const t of [-extent, -extent / 2, 0, extent / 2, extent]) {
    plot.append(svg('line', { x1: x(t), x2: x(t), y1: axisY, y2: axisY + 4, class: 'tick' }));
    plot.append(svg('text', { x: x(t), y: axisY + 16, 'text-anchor': 'middle', class: 'tick-label' }, fmt(t, 1)));
  }
  plot.append(svg('text', { x: (left + width - right) / 2, y: height - 2, 'text-anchor': 'middle', class: 'axis-label' }, xLabel));
  return h('div', { class: 'scroll' }, plot);
}

/**
 * A heatmap as a table (readable by screen readers and the keyboard), each cell coloured on a diverging
 * blue–orange scale (colour-blind safe) and printing its value, so colour is never the only carrier.
 */
export function heatmap(rowLabels, columnLabels, cell, { unit = 'points', caption, digits = 1, extent: fixedExtent } = {}) {
  const values = rowLabels.flatMap((_, r) => columnLabels.map((_, c) => num(cell(r, c)?.value))).filter(Number.isFinite);
  const extent = fixedExtent ?? Math.max(1e-9, ...values.map(Math.abs));
  return h('div', { class: 'scroll' }, h('table', { class: 'heatmap' },
    h('caption', {}, caption ?? `Cells: mean difference in ${unit}, 95% CI below; blue = gain, orange = loss`),
    h('thead', {}, h('tr', {}, h('th', {}, ''), columnLabels.map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rowLabels.map((row, r) => h('tr', {}, h('th', { scope: 'row' }, row), columnLabels.map((_, c) => {
      const v = cell(r, c);
      const td = h('td', { class: 'num' }, v ? [signed(v.value, digits), h('br'), h('small', {}, v.interval || '')] : '—');
      if (v && Number.isFinite(num(v.value))) {
        const t = Math.min(1, Math.abs(num(v.value)) / extent);
        const [r0, g0, b0] = num(v.value) >= 0 ? [0, 114, 178] : [230, 159, 0];
        td.style.backgroundColor = `rgba(${r0}, ${g0}, ${b0}, ${0.12 + 0.6 * t})`;
      }
      return td;
    }))))));
}

/**
 * A scatter plot of labelled points (e.g. checkpoints on two principal components), SVG, each point named in its
 * title and beside it. points: [{ label, x, y, color }]
 */
export function scatterPlot(points, { xLabel, yLabel, width = 520, height = 320 }) {
  const left = 56, right = 16, top = 12, bottom = 40;
  const finite = points.filter(p => Number.isFinite(num(p.x)) && Number.isFinite(num(p.y)));
  const span = (values) => {
    const lo = Math.min(...values), hi = Math.max(...values);
    const pad = Math.max(1e-9, (hi - lo) * 0.08);
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = span(finite.map(p => num(p.x)));
  const [y0, y1] = span(finite.map(p => num(p.y)));
  const x = v => left + ((num(v) - x0) / (x1 - x0)) * (width - left - right);
  const y = v => height - bottom - ((num(v) - y0) / (y1 - y0)) * (height - top - bottom);
  const plot = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'scatter', role: 'img', 'aria-label': `${yLabel} against ${xLabel} for ${finite.length} points` });
  plot.append(svg('rect', { x: left, y: top, width: width - left - right, height: height - top - bottom, class: 'frame', fill: 'none', stroke: '#bbb' }));
  for (const [t, isX] of [[x0, true], [(x0 + x1) / 2, true], [x1, true], [y0, false], [(y0 + y1) / 2, false], [y1, false]]) {
    plot.append(isX
      ? svg('text', { x: x(t), y: height - bottom + 14, 'text-anchor': 'middle', class: 'tick-label' }, fmt(t, 2))
      : svg('text', { x: left - 4, y: y(t) + 4, 'text-anchor': 'end', class: 'tick-label' }, fmt(t, 2)));
  }
  // Points that fall on the same spot share one label, so coincident checkpoints stay readable.
  const spots = new Map();
  for (const p of finite) {
    const key = `${Math.round(x(p.x))},${Math.round(y(p.y))}`;
    spots.set(key, [...(spots.get(key) ?? []), p]);
  }
  for (const group of spots.values()) {
    for (const p of group) {
      const dot = svg('circle', { cx: x(p.x), cy: y(p.y), r: 4, fill: p.color || '#0072B2' });
      dot.append(svg('title', {}, `${p.label}: (${fmt(p.x, 3)}, ${fmt(p.y, 3)})`));
      plot.append(dot);
    }
    const [first] = group;
    const leftHalf = x(first.x) < (left + width - right) / 2;
    plot.append(svg('text', { x: x(first.x) + (leftHalf ? 6 : -6), y: y(first.y) - 6, 'text-anchor': leftHalf ? 'start' : 'end', class: 'label' }, group.map(p => p.label).join(', ')));
  }
  plot.append(svg('text', { x: (left + width - right) / 2, y: height - 4, 'text-anchor': 'middle', class: 'axis-label' }, xLabel));
  plot.append(svg('text', { x: 12, y: (top + height - bottom) / 2, 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 12 ${(top + height - bottom) / 2})` }, yLabel));
  return h('div', { class: 'scroll' }, plot);
}
