// Page 6: checkpoints (lineage from each base through its RL steps and dose ladders, weights download) and
// the benchmark catalogue (families, formats, item samples).
import { api, all, download } from '../api.js';
import { h, when, si, section, message, table } from '../dom.js';

export async function checkpointsPage({ main, signal }) {
  document.title = 'Checkpoints — BeneficialRL';
  const checkpoints = await all('/api/v1/checkpoints', 5000);
  if (signal.aborted) return;
  const byId = new Map(checkpoints.map(c => [c.id, c]));
  const children = new Map();
  for (const c of checkpoints) {
    const parent = c.parentId && byId.has(c.parentId) ? c.parentId : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(c);
  }
  for (const list of children.values()) list.sort((a, b) => (a.step ?? 0) - (b.step ?? 0) || a.id.localeCompare(b.id));
  const node = c => h('li', { dataset: { checkpoint: c.id } },
    h('details', { open: true }, h('summary', {}, h('span', { class: 'mono' }, c.id), c.step !== null && c.step !== undefined ? ` · step ${c.step}` : '', ` · ${c.source}`,
      c.experimentId ? [' · ', h('a', { href: `#/experiments/${c.experimentId}` }, c.experimentId)] : '', ` · ${si(c.bytes)}B`, c.evaluable ? ' · evaluable' : ''),
    h('p', { class: 'muted' }, `sha256 ${c.sha256.slice(0, 16)}… · ${c.format} · ${when(c.createdAt)} `,
      h('button', { type: 'button', class: 'small', onclick: () => download(c.weights, `${c.id}.safetensors`) }, 'Download weights')),
    children.has(c.id) ? h('ul', { class: 'tree' }, children.get(c.id).map(node)) : ''));
  main.replaceChildren(h('h1', {}, 'Checkpoints'),
    h('p', { class: 'muted' }, `${checkpoints.length} checkpoints; each under its parent (base → RL steps → dose ladder).`),
    checkpoints.length ? h('ul', { class: 'tree', id: 'lineage' }, (children.get(null) ?? []).map(node)) : message('No checkpoint yet.'));
}

export async function benchmarksPage({ main, signal }) {
  document.title = 'Benchmarks — BeneficialRL';
  const benchmarks = await api('/api/v1/benchmarks', { signal });
  if (signal.aborted) return;
  const families = [...new Set(benchmarks.map(b => b.family))].sort();
  const formats = [...new Set(benchmarks.map(b => b.format))].sort();
  const family = h('select', { id: 'bench-family', 'aria-label': 'Family' }, h('option', { value: '' }, 'every family'), families.map(f => h('option', { value: f }, f)));
  const format = h('select', { id: 'bench-format', 'aria-label': 'Format' }, h('option', { value: '' }, 'every format'), formats.map(f => h('option', { value: f }, f)));
  const body = h('div');
  const render = () => {
    const shown = benchmarks.filter(b => (!family.value || b.family === family.value) && (!format.value || b.format === format.value));
    body.replaceChildren(h('p', { class: 'muted', role: 'status' }, `${shown.length} of ${benchmarks.length} benchmarks`), h('div', { class: 'scroll' }, table([
      { label: 'Benchmark', value: b => sample(b) }, { label: 'Family', value: b => b.family }, { label: 'Format', value: b => b.format },
      { label: 'Traits', value: b => (b.traits ?? []).join(', ') }, { label: 'Domains', value: b => (b.domains ?? []).join(', ') || '—' }, { label: 'Polarity', value: b => b.polarity ?? '—' },
    ], shown, { className: 'benchmarks' })));
  };
  const sample = b => {
    const slot = h('div');
    const details = h('details', {}, h('summary', {}, h('span', { class: 'mono' }, b.id), b.name && b.name !== b.id ? ` — ${b.name}` : ''), slot);
    details.addEventListener('toggle', async () => {
      if (!details.open || slot.childElementCount) return;
      const full = await api(`/api/v1/benchmarks/${encodeURIComponent(b.id)}`);
      slot.append(h('p', { class: 'muted' }, full.imported ? 'imported' : 'built in'), h('ol', {}, full.sampleItems.map(i => h('li', {},
        i.prompt.turns.map(t => h('p', {}, h('strong', {}, `${t.role}: `), t.content)),
        i.options?.length ? h('ul', {}, i.options.map(o => h('li', {}, o.text, o.isAligned ? ' ✓' : ''))) : ''))));
    });
    return details;
  };
  family.addEventListener('change', render);
  format.addEventListener('change', render);
  render();
  main.replaceChildren(h('h1', {}, 'Benchmarks'), h('div', { class: 'filters' }, family, ' ', format), section('Catalogue', body));
}
