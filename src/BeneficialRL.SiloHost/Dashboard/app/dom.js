// Small DOM and formatting helpers. Elements are built with the DOM API (never innerHTML with data), so no
// text from the API is ever parsed as markup; styles go through the CSSOM, which the page's CSP allows.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

/** Okabe–Ito: distinguishable with every common colour-vision deficiency. */
export const palette = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

/** The API writes NaN and infinities as strings ("NaN"); everything numeric goes through this. */
export function num(x) {
  if (typeof x === 'number') return x;
  if (x === null || x === undefined) return NaN;
  const n = Number(x);
  return Number.isFinite(n) || x === 'Infinity' || x === '-Infinity' ? n : NaN;
}

export function fmt(x, digits = 2) {
  const n = num(x);
  if (Number.isNaN(n)) return '—';
  return n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: Math.min(digits, Math.abs(n) < 100 ? digits : 0) });
}

export function signed(x, digits = 1) {
  const n = num(x);
  return Number.isNaN(n) ? '—' : `${n > 0 ? '+' : n < 0 ? '−' : ''}${fmt(Math.abs(n), digits)}`;
}

/** An estimate with its interval: "+1.6 [0.2, 3.1]". */
export function withInterval(estimate, lower, upper, digits = 1) {
  const l = num(lower), u = num(upper);
  return Number.isNaN(l) || Number.isNaN(u) ? signed(estimate, digits) : `${signed(estimate, digits)} [${signed(l, digits)}, ${signed(u, digits)}]`;
}

export function percent(x, digits = 0) {
  const n = num(x);
  return Number.isNaN(n) ? '—' : `${fmt(n * 100, digits)}%`;
}

export function si(x) {
  const n = num(x);
  if (Number.isNaN(n)) return '—';
  const units = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) if (Math.abs(n) >= v) return `${fmt(n / v, 2)} ${u}`;
  return fmt(n, 0);
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
}

export function duration(seconds) {
  const s = num(seconds);
  if (Number.isNaN(s)) return '—';
  if (s < 60) return `${fmt(s, 1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export function table(columns, rows, { caption, className } = {}) {
  return h('table', { class: className },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    h('tbody', {}, rows.map(r => h('tr', {}, columns.map(c => h('td', { class: c.num ? 'num' : null }, c.value(r)))))));
}

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, status);
}

export function progressBar(fraction, label) {
  const f = Math.max(0, Math.min(1, num(fraction) || 0));
  const bar = h('progress', { max: '1', value: String(f), 'aria-label': label });
  return h('span', { class: 'progress' }, bar, ` ${fmt(f * 100, 0)}%`);
}

export function section(title, ...children) {
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function message(text, kind = 'info') {
  return h('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
