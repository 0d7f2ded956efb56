// Page 3: what the policy said while it trained. Each training run records a few prompts' GRPO groups at its
// first step, every checkpoint interval and its last step (prompt, G completions, reward, advantage, the grader's
// per-criterion verdicts); this page reads them from the API, filtered by step, searched and paged by the server.
import { api } from '../api.js';
import { h, fmt, signed, message, table } from '../dom.js';

const pageSize = 10;

export async function completionsPage({ main, signal, notFound }, id) {
  let experiment;
  try { experiment = await api(`/api/v1/experiments/${encodeURIComponent(id)}`, { signal }); } catch (e) { if (e.status === 404 || e.status === 400) { notFound(`Experiment ${id}`); return; } throw e; }
  document.title = `Completions: ${experiment.name} — BeneficialRL`;
  const definition = experiment.definition;
  const runs = (definition?.arms ?? []).flatMap(a => (definition.seeds ?? [1]).map(s => `${a.name}-s${s}`));
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const run = h('select', { id: 'samples-run', 'aria-label': 'Run' }, runs.map(r => h('option', { value: r, selected: r === params.get('run') }, r)));
  const step = h('select', { id: 'samples-step', 'aria-label': 'Step' }, h('option', { value: '' }, 'every recorded step'));
  const search = h('input', { type: 'search', id: 'samples-search', placeholder: 'prompt or completion text', 'aria-label': 'Search completions' });
  const list = h('div', { id: 'sampled-groups' });
  const pager = h('div', { class: 'pager' });
  let offsetTokens = [null], pageIndex = 0;

  const load = async () => {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (step.value) query.set('step', step.value);
    if (search.value.trim()) query.set('q', search.value.trim());
    if (offsetTokens[pageIndex]) query.set('continuationToken', offsetTokens[pageIndex]);
    const page = await api(`/api/v1/experiments/${id}/runs/${encodeURIComponent(run.value)}/samples?${query}`, { signal });
    offsetTokens[pageIndex + 1] = page.continuationToken;
    const chosen = step.value;
    step.replaceChildren(h('option', { value: '' }, 'every recorded step'), ...page.recordedSteps.map(s => h('option', { value: String(s), selected: String(s) === chosen }, `step ${s}`)));
    list.replaceChildren(page.items.length ? h('ol', { class: 'groups' }, page.items.map(groupView))
      : message(page.recordedSteps.length ? 'No group matches.' : 'This run has recorded no group yet: they are stored with each checkpoint.'));
    pager.replaceChildren(
      h('button', { type: 'button', disabled: pageIndex === 0, onclick: () => { pageIndex--; load(); } }, '← Previous'),
      ` ${page.total} groups · page ${pageIndex + 1} of ${Math.max(1, Math.ceil(page.total / pageSize))} `,
      h('button', { type: 'button', disabled: !page.continuationToken, onclick: () => { pageIndex++; load(); } }, 'Next →'));
  };
  const reset = () => { pageIndex = 0; offsetTokens = [null]; load(); };
  let timer = null;
  run.addEventListener('change', () => { step.value = ''; reset(); });
  step.addEventListener('change', reset);
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(reset, 250); });
  if (runs.length) await load(); else list.replaceChildren(message('This experiment has no training run.'));
  if (signal.aborted) return;
  main.replaceChildren(
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Experiments'), ' / ', h('a', { href: `#/experiments/${id}` }, experiment.name), ' / Completions'),
    h('h1', {}, 'Sampled completions'),
    h('p', { class: 'muted' }, 'A few prompts per recorded step (the first step, every checkpoint interval, the last); reward 0–1 as training used it, advantage as GRPO computed it within the group.'),
    h('div', { class: 'filters' }, run, ' ', step, ' ', search), pager, list);
}

function groupView(g) {
  const rewards = g.completions.map(c => Number(c.reward)).filter(Number.isFinite);
  const mean = rewards.length ? rewards.reduce((a, b) => a + b, 0) / rewards.length : NaN;
  return h('li', { class: 'group', dataset: { prompt: g.promptId, step: String(g.step) } }, h('details', { open: true },
    h('summary', {}, `step ${g.step} · `, h('span', { class: 'mono' }, g.promptId), ` · slice ${g.slice} · ${g.completions.length} completions · mean reward ${fmt(mean, 3)}`),
    h('div', { class: 'prompt' }, g.prompt.map(t => h('p', {}, h('strong', {}, `${t.role}: `), t.content))),
    h('div', { class: 'scroll' }, table([
      { label: '#', num: true, value: c => c.index },
      { label: 'Completion', value: c => h('span', { class: 'completion' }, c.text, c.truncated ? h('em', {}, ' [cut at the token limit]') : '') },
      { label: 'Reward', num: true, value: c => fmt(c.reward, 3) },
      { label: 'Advantage', num: true, value: c => signed(c.advantage, 2) },
      { label: `Rubric (${g.completions[0]?.grader ?? ''})`, value: c => c.criteria.length ? h('ul', { class: 'criteria' }, c.criteria.map(k =>
        h('li', { title: k.explanation }, `${k.passed ? '✓' : '✗'} ${k.id} ${fmt(k.score, 2)}`))) : '—' },
    ], g.completions, { className: 'completions' }))));
}
