// Page 5: the paired drill-down. Both arms ran the same items with the same seeds, so every item has a
// treatment − baseline difference; items are sorted by it (server-side, paged), and an item opens to show
// both arms side by side per seed: option probabilities, or the generated answers with the grader's verdicts.
import { api, ApiError } from '../api.js';
import { h, fmt, signed, percent, section, message, table } from '../dom.js';

const pageSize = 20;

export async function pairedPage({ main, signal, notFound }, id, benchmark) {
  let experiment;
  try { experiment = await api(`/api/v1/experiments/${encodeURIComponent(id)}`, { signal }); } catch (e) { if (e.status === 404 || e.status === 400) { notFound(`Experiment ${id}`); return; } throw e; }
  document.title = `Paired items: ${experiment.name} — BeneficialRL`;
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const arm = params.get('arm');
  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Experiments'), ' / ',
    h('a', { href: `#/experiments/${id}` }, experiment.name), ' / ', benchmark ? h('a', { href: `#/experiments/${id}/items` }, 'Paired items') : 'Paired items', benchmark ? ` / ${benchmark}` : '');
  let summary;
  try {
    summary = await api(`/api/v1/experiments/${id}/paired${arm ? `?arm=${encodeURIComponent(arm)}` : ''}`, { signal });
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) { main.replaceChildren(crumbs, h('h1', {}, 'Paired items'), message(e.message)); return; }
    throw e;
  }
  if (signal.aborted) return;
  const armPicker = summary.arms.length > 1 ? h('p', {}, 'Compared arm: ', summary.arms.map(a => a === summary.arm ? h('strong', {}, a, ' ') : h('a', { href: `#/experiments/${id}/items?arm=${encodeURIComponent(a)}` }, a, ' '))) : '';
  const heading = h('h1', {}, 'Paired items: ', h('span', { class: 'arm-b' }, summary.arm), ' − ', h('span', { class: 'arm-a' }, summary.baseline));
  const seeds = h('p', { class: 'muted' }, `Final checkpoints evaluated: ${Object.entries(summary.seeds).map(([a, s]) => `${a} seeds ${s.join(', ')}`).join('; ')}. Scores are 0–1; differences in points (×100).`);

  if (!benchmark) {
    main.replaceChildren(crumbs, heading, armPicker, seeds, section('Benchmarks', table([
      { label: 'Benchmark', value: b => h('a', { href: `#/experiments/${id}/items/${encodeURIComponent(b.benchmarkId)}${arm ? `?arm=${encodeURIComponent(arm)}` : ''}` }, b.benchmarkId) },
      { label: 'Family', value: b => b.family }, { label: 'Suite', value: b => b.suite },
      { label: 'Items', num: true, value: b => b.items },
      { label: 'Mean item difference, points', num: true, value: b => signed(b.meanDifference * 100) }], summary.benchmarks, { className: 'paired-benchmarks' })));
    return;
  }

  const search = h('input', { type: 'search', id: 'item-search', placeholder: 'item id, prompt, option or answer text', 'aria-label': 'Search items' });
  const order = h('select', { id: 'item-order', 'aria-label': 'Order' }, h('option', { value: 'desc' }, 'largest gain first'), h('option', { value: 'asc' }, 'largest loss first'));
  const list = h('div', { id: 'paired-items' });
  const pager = h('div', { class: 'pager' });
  const tokens = [null];
  let pageIndex = 0;

  const load = async () => {
    const query = new URLSearchParams({ limit: String(pageSize), order: order.value });
    if (arm) query.set('arm', arm);
    if (search.value.trim()) query.set('q', search.value.trim());
    if (tokens[pageIndex]) query.set('continuationToken', tokens[pageIndex]);
    const page = await api(`/api/v1/experiments/${id}/paired/${encodeURIComponent(benchmark)}/items?${query}`, { signal });
    tokens[pageIndex + 1] = page.continuationToken;
    list.replaceChildren(page.items.length ? h('ol', { class: 'items', start: String(pageIndex * pageSize + 1) }, page.items.map(i => itemView(i, summary))) : message('No item matches.'));
    pager.replaceChildren(
      h('button', { type: 'button', disabled: pageIndex === 0, onclick: () => { pageIndex--; load(); } }, '← Previous'),
      ` ${page.total} items · page ${pageIndex + 1} of ${Math.max(1, Math.ceil(page.total / pageSize))} `,
      h('button', { type: 'button', disabled: !page.continuationToken, onclick: () => { pageIndex++; load(); } }, 'Next →'));
  };
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { pageIndex = 0; tokens.length = 1; load(); }, 250); });
  order.addEventListener('change', () => { pageIndex = 0; tokens.length = 1; load(); });
  await load();
  if (signal.aborted) return;
  main.replaceChildren(crumbs, heading, h('h2', {}, benchmark), armPicker, seeds, h('div', { class: 'filters' }, search, ' ', order), pager, list);
}

function itemView({ paired, item }, summary) {
  const runs = arm => paired.runs.filter(r => r.arm === arm);
  const prompt = item ? h('div', { class: 'prompt' },
    item.prompt.system ? h('p', {}, h('strong', {}, 'system: '), item.prompt.system) : '',
    item.prompt.turns.map(t => h('p', {}, h('strong', {}, `${t.role}: `), t.content))) : message('The item\'s prompt is not in the benchmark catalogue.');
  const options = paired.runs[0]?.result.options?.length ? optionsTable(paired, item, summary) : '';
  const samples = paired.runs.some(r => r.result.samples?.length) ? h('div', { class: 'side-by-side' },
    [summary.baseline, summary.arm].map(arm => h('div', { class: `column ${arm === summary.baseline ? 'arm-a' : 'arm-b'}`, dataset: { arm } },
      h('h4', {}, arm), runs(arm).map(r => h('div', { class: 'seed' }, h('h5', {}, `seed ${r.seed} · item score ${fmt(r.result.score, 3)}`),
        r.result.samples.map(s => h('div', { class: 'sample' },
          h('p', { class: 'verdict' }, `${s.grader}: ${fmt(s.grade, 3)} · ${s.refusal}${s.variant !== 'main' ? ` · ${s.variant}` : ''}`),
          h('blockquote', {}, s.text)))))))) : '';
  return h('li', { class: 'item', dataset: { item: paired.itemId } }, h('details', {},
    h('summary', {}, h('span', { class: 'mono' }, paired.itemId), ` · ${paired.domain} · `,
      h('span', { class: 'arm-a' }, `${summary.baseline} ${fmt(paired.baselineMean, 3)}`), ' → ',
      h('span', { class: 'arm-b' }, `${summary.arm} ${fmt(paired.treatmentMean, 3)}`), ' · ', h('strong', {}, `${signed(paired.difference * 100)} points`)),
    prompt, options, samples,
    item?.rubric?.length ? h('details', { class: 'rubric' }, h('summary', {}, 'Rubric'), h('ul', {}, item.rubric.map(c => h('li', {}, JSON.stringify(c))))) : ''));
}

function optionsTable(paired, item, summary) {
  const first = paired.runs[0].result.options;
  const columns = [
    { label: 'Option', value: o => o.i },
    { label: 'Text', value: o => first[o.i].text },
    { label: 'Aligned', value: o => first[o.i].isAligned ? '✓ aligned' : '' },
    ...paired.runs.map(r => ({ label: `${r.arm} s${r.seed}`, num: true, value: o => percent(r.result.options[o.i]?.normalisedProbability, 1) })),
  ];
  return h('div', { class: 'scroll' }, table(columns, first.map((_, i) => ({ i })), {
    className: 'options', caption: `Option probabilities (softmax of length-normalised log-probabilities) per arm × seed; ${summary.baseline} first.`,
  }));
}
