// Page 1: the tenant's experiments — status, preset, arms × seeds, progress, headline — with filters,
// cancel / pause / resume, and the create form (a preset or a pasted definition).
import { api, all, ApiError } from '../api.js';
import { h, statusBadge, progressBar, when, withInterval, message, section } from '../dom.js';

const terminal = new Set(['completed', 'failed', 'cancelled']);

export function armsBySeeds(definition) {
  if (!definition) return '—';
  return `${definition.arms?.length ?? 0} × ${definition.seeds?.length ?? 1}`;
}

/** The primary endpoints of a report's first compared arm, for one table cell. */
export function headlineText(report) {
  const row = report?.headline?.[0];
  if (!row) return '—';
  const blocked = report.headlineBlocked ? ' (not a finding)' : '';
  return `OOD ${withInterval(row.oodGainPoints, row.oodGainLower, row.oodGainUpper)} pts · held-out ${withInterval(row.heldOutGainPoints, row.heldOutGainLower, row.heldOutGainUpper)} pts${blocked}`;
}

export async function experimentsPage({ main, signal }) {
  document.title = 'Experiments — BeneficialRL';
  const [experiments, presets] = await Promise.all([all('/api/v1/experiments'), api('/api/v1/experiment-presets')]);
  if (signal.aborted) return;

  const statusFilter = h('select', { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'any'), ['created', 'queued', 'running', 'paused', 'completed', 'failed', 'cancelled'].map(s => h('option', { value: s }, s)));
  const labelFilter = h('input', { id: 'filter-label', name: 'label', placeholder: 'key=value or text', type: 'search' });
  const body = h('tbody');
  const count = h('p', { class: 'muted', role: 'status' });
  const reports = new Map();

  const render = () => {
    const status = statusFilter.value, label = labelFilter.value.trim().toLowerCase();
    const shown = experiments.filter(e => (!status || e.status === status) && (!label || Object.entries(e.labels || {}).some(([k, v]) =>
      `${k}=${v}`.toLowerCase().includes(label)) || (label && e.name.toLowerCase().includes(label))));
    count.textContent = `${shown.length} of ${experiments.length} experiments`;
    body.replaceChildren(...shown.map(row));
  };

  const row = e => {
    const headline = h('td', { class: 'headline' }, e.status === 'completed' ? (reports.has(e.id) ? headlineText(reports.get(e.id)) : '…') : '—');
    if (e.status === 'completed' && !reports.has(e.id)) {
      api(`/api/v1/experiments/${e.id}/report`, { signal }).then(r => { reports.set(e.id, r); headline.textContent = headlineText(r); })
        .catch(() => { headline.textContent = 'report unavailable'; });
    }
    return h('tr', { dataset: { id: e.id } },
      h('td', {}, h('a', { href: `#/experiments/${e.id}` }, e.name), h('br'), h('small', { class: 'mono' }, e.id)),
      h('td', {}, statusBadge(e.status)),
      h('td', {}, e.definition?.name ?? '—'),
      h('td', { class: 'num' }, armsBySeeds(e.definition)),
      h('td', {}, terminal.has(e.status) || !e.progress ? (e.status === 'completed' ? progressBar(1, 'progress') : '—')
        : [e.progress.stage, ' ', progressBar(e.progress.fraction, `${e.name} progress`)]),
      h('td', {}, Object.entries(e.labels || {}).map(([k, v]) => h('span', { class: 'label' }, `${k}=${v}`))),
      h('td', {}, when(e.createdAt)),
      headline,
      h('td', { class: 'actions' }, actions(e, async () => {
        const fresh = await api(`/api/v1/experiments/${e.id}`);
        Object.assign(e, fresh);
        render();
      })));
  };

  statusFilter.addEventListener('change', render);
  labelFilter.addEventListener('input', render);
  render();

  main.replaceChildren(
    h('h1', {}, 'Experiments'),
    h('div', { class: 'filters' }, h('label', { for: 'filter-status' }, 'Status '), statusFilter, h('label', { for: 'filter-label' }, ' Label '), labelFilter, count),
    h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'experiments' },
      h('thead', {}, h('tr', {}, ['Experiment', 'Status', 'Preset', 'Arms × seeds', 'Progress', 'Labels', 'Created', 'Headline (points, 95% CI)', ''].map(c => h('th', { scope: 'col' }, c)))),
      body)),
    createForm(presets));
}

/** Cancel / pause / resume, as the experiment's status allows. */
export function actions(e, changed) {
  const act = (verb, label) => h('button', {
    type: 'button', class: 'small', 'aria-label': `${label} ${e.name}`,
    onclick: async ev => {
      ev.target.disabled = true;
      try { await api(`/api/v1/experiments/${e.id}/${verb}`, { method: 'POST' }); await changed(); } catch (err) { alert(`${label} failed: ${err.message}`); ev.target.disabled = false; }
    },
  }, label);
  const list = [];
  if (e.status === 'running') list.push(act('pause', 'Pause'));
  if (e.status === 'paused') list.push(act('resume', 'Resume'));
  if (!terminal.has(e.status)) list.push(act('cancel', 'Cancel'));
  return list;
}

function createForm(presets) {
  const errors = new Map();
  const field = (id, label, control, hint) => {
    const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert' });
    errors.set(id, error);
    control.setAttribute('aria-describedby', `${id}-error`);
    return h('div', { class: 'field' }, h('label', { for: id }, label), hint ? h('small', { class: 'muted' }, hint) : null, control, error);
  };
  const mode = h('select', { id: 'create-mode', name: 'mode' }, h('option', { value: 'preset' }, 'a preset'), h('option', { value: 'definition' }, 'a pasted definition'));
  const name = h('input', { id: 'create-name', name: 'name', placeholder: 'defaults to the preset or definition name' });
  const labels = h('input', { id: 'create-labels', name: 'labels', placeholder: 'team=alignment, purpose=smoke' });
  const preset = h('select', { id: 'create-preset', name: 'preset' }, presets.map(p => h('option', { value: p.name }, p.name)));
  const persistence = h('select', { id: 'create-persistence', name: 'persistence' }, h('option', { value: '' }, 'none'), ['quick', 'demo', 'default'].map(p => h('option', { value: p }, p)));
  const definition = h('textarea', { id: 'create-definition', name: 'definition', rows: '14', spellcheck: 'false', class: 'mono' });
  const templateName = h('select', { id: 'create-template', 'aria-label': 'Template preset' }, presets.map(p => h('option', { value: p.name }, p.name)));
  const template = h('button', { type: 'button', class: 'small', onclick: () => { definition.value = JSON.stringify(presets.find(p => p.name === templateName.value)?.definition ?? {}, null, 2); } }, 'Start from preset');
  const general = h('div', { role: 'alert', class: 'form-error' });
  const presetFields = h('div', {}, field('create-preset', 'Preset', preset), field('create-persistence', 'Persistence tests', persistence));
  const definitionFields = h('div', { hidden: true }, field('create-definition', 'Definition (JSON)', definition, 'The API validates it field by field; errors appear next to the field they name.'), h('p', {}, template, ' ', templateName));
  mode.addEventListener('change', () => { presetFields.hidden = mode.value !== 'preset'; definitionFields.hidden = mode.value === 'preset'; });

  // Which form control a problem's JSON path belongs to.
  const controlOf = path => path?.startsWith('$.definition') ? 'create-definition' : path === '$.preset' ? 'create-preset'
    : path === '$.persistence' ? 'create-persistence' : path?.startsWith('$.labels') ? 'create-labels' : path === '$.name' ? 'create-name' : null;

  const form = h('form', { id: 'create', class: 'create', novalidate: true },
    field('create-mode', 'Create from', mode),
    field('create-name', 'Name', name),
    field('create-labels', 'Labels', labels, 'comma-separated key=value'),
    presetFields, definitionFields, general,
    h('button', { type: 'submit' }, 'Create and queue'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    for (const e of errors.values()) e.textContent = '';
    general.textContent = '';
    const body = {};
    if (name.value.trim()) body.name = name.value.trim();
    const pairs = labels.value.split(',').map(s => s.trim()).filter(Boolean);
    if (pairs.length) body.labels = Object.fromEntries(pairs.map(p => { const i = p.indexOf('='); return i < 0 ? [p, ''] : [p.slice(0, i).trim(), p.slice(i + 1).trim()]; }));
    if (mode.value === 'preset') {
      body.preset = preset.value;
      body.labels = { preset: preset.value, ...(body.labels || {}) };
      if (persistence.value) body.persistence = persistence.value;
    } else {
      try { body.definition = JSON.parse(definition.value); } catch (e) { errors.get('create-definition').textContent = `Not JSON: ${e.message}`; definition.focus(); return; }
    }
    try {
      const created = await api('/api/v1/experiments', { method: 'POST', body });
      location.hash = `#/experiments/${created.id}`;
    } catch (e) {
      if (!(e instanceof ApiError)) { general.textContent = e.message; return; }
      const list = e.problem.errors?.length ? e.problem.errors : [{ field: e.problem.field, message: e.problem.detail || e.message }];
      let first = null;
      for (const item of list) {
        const id = controlOf(item.field);
        const target = id ? errors.get(id) : general;
        target.append(h('span', { class: 'problem', dataset: { field: item.field ?? '' } }, item.field ? h('code', {}, item.field) : null, ' ', item.message));
        first ??= id;
      }
      if (!first) general.prepend(`${e.problem.title || 'Refused'}: `);
      document.getElementById(first ?? 'create-mode')?.focus();
    }
  });
  return section('New experiment', form);
}
