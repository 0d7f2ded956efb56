// Page 2: one experiment while it runs and after — stages and jobs with live progress (the API's server-sent
// events), per arm × seed curves over RL steps from the run metrics, held-out trait curves, alarms, compute per
// arm with the mismatch flag, and the pre-flight checks.
import { api, follow } from '../api.js';
import { h, statusBadge, progressBar, when, duration, fmt, percent, si, section, message, table, palette, num } from '../dom.js';
import { figure, lineChart } from '../charts.js';
import { actions, armsBySeeds } from './experiments.js';

const terminal = new Set(['completed', 'failed', 'cancelled']);

/**
 * The step metrics drawn, each named as TRL logs it where TRL has the quantity (GRPOTrainer's log keys),
 * with the unit on the axis. value(record, budget) reads one step record.
 */
export const metricCharts = [
  { key: 'reward', title: 'Reward (TRL: reward)', unit: 'mean reward (0–1)', value: r => r.meanReward },
  { key: 'reward_std', title: 'Reward spread (TRL: reward_std)', unit: 'std of rewards', value: r => r.rewardStd },
  { key: 'kl', title: 'KL to the base model (TRL: kl)', unit: 'nats per token (k3)', value: r => r.kl },
  { key: 'entropy', title: 'Entropy (TRL: entropy)', unit: 'nats per token', value: r => r.entropy },
  { key: 'frac_reward_zero_std', title: 'Zero-variance groups (TRL: frac_reward_zero_std)', unit: 'share of groups', value: r => r.zeroVarianceFraction },
  { key: 'clip_ratio', title: 'Clipped tokens (TRL: clip_ratio)', unit: 'share of tokens', value: r => r.clipFraction },
  { key: 'completions/mean_length', title: 'Completion length (TRL: completions/mean_length)', unit: 'tokens per completion', value: (r, b) => b ? r.tokensGenerated / (b.promptsPerStep * b.groupSize) : NaN },
  { key: 'loss', title: 'Loss (TRL: loss)', unit: 'GRPO loss', value: r => r.loss },
  { key: 'learning_rate', title: 'Learning rate (TRL: learning_rate)', unit: 'learning rate', value: r => r.learningRate },
  { key: 'step_time', title: 'Step wall time', unit: 'seconds per step', value: r => r.wallSeconds },
];

export function runColour(definition, arm) {
  const i = Math.max(0, definition?.arms?.findIndex(a => a.name === arm) ?? 0);
  return palette[i % palette.length];
}

/** One chart per metric and one per slice's reward, every arm × seed a series (colour = arm, dash = seed). */
export function curveSection(definition, runs) {
  const budget = definition?.budget;
  const seeds = definition?.seeds ?? [];
  const series = (pick) => runs.map(run => ({
    label: `${run.arm} s${run.seed}`, color: runColour(definition, run.arm), dash: Math.max(0, seeds.indexOf(run.seed)),
    points: run.records.map(r => [r.step, pick(r)]).filter(p => p[1] !== undefined),
  }));
  const figures = metricCharts.map(m => figure(m.title, lineChart({ xLabel: 'RL step', yLabel: m.unit, series: series(r => m.value(r, budget)) }),
    { caption: `${m.unit} at each GRPO step; one line per arm × seed (colour: arm, dash: seed).`, data: runs.map(r => ({ run: r.run, metrics: r.metrics })), dataName: `metrics-${m.key.replace('/', '-')}.json` }));
  const slices = [...new Set(runs.flatMap(r => r.records.flatMap(x => Object.keys(x.sliceRewards || {}))))];
  const sliceFigures = slices.map(slice => figure(`Reward on slice “${slice}” (TRL: rewards/${slice}/mean)`,
    lineChart({ xLabel: 'RL step', yLabel: 'mean reward (0–1)', series: series(r => r.sliceRewards?.[slice]?.mean ?? null) }),
    { caption: `Mean reward of the ${slice} slice's prompts at each step (a step without that slice leaves a gap).`, data: runs.map(r => ({ run: r.run, metrics: r.metrics })), dataName: `metrics-slice-${slice}.json` }));
  return section('Training curves', runs.length === 0 ? message('No training step recorded yet; curves appear with the first checkpoint of a run.')
    : h('div', { class: 'grid' }, ...sliceFigures, ...figures));
}

export async function loadRuns(id, jobs, signal) {
  const training = jobs.filter(j => j.metrics);
  const loaded = await Promise.all(training.map(async j => {
    try {
      const records = await api(j.metrics, { signal });
      return { run: `${j.arm}-s${j.seed}`, arm: j.arm, seed: j.seed, records, metrics: j.metrics };
    } catch { return null; } // no metrics yet: the run has not reached its first checkpoint
  }));
  return loaded.filter(Boolean);
}

export async function experimentPage({ main, signal, notFound }, id) {
  let experiment;
  // The jobs are asked for together with the experiment (one round trip less before the curves can load).
  const firstJobs = api(`/api/v1/experiments/${encodeURIComponent(id)}/jobs`, { signal });
  firstJobs.catch(() => {});
  try { experiment = await api(`/api/v1/experiments/${encodeURIComponent(id)}`, { signal }); } catch (e) { if (e.status === 404 || e.status === 400) { notFound(`Experiment ${id}`); return; } throw e; }
  document.title = `${experiment.name} — BeneficialRL`;
  const definition = experiment.definition;

  const statusSlot = h('span', { id: 'status' });
  const progressSlot = h('div', { id: 'live-progress', 'aria-live': 'polite' });
  const actionsSlot = h('span', { class: 'actions' });
  const stagesSlot = h('div');
  const jobsSlot = h('div', { id: 'jobs' });
  const alarmsSlot = h('div');
  const curvesSlot = h('div', { id: 'curves' });
  const heldOutSlot = h('div', { id: 'held-out-live' });
  const reportSlot = h('div');
  const eventsList = h('ol', { class: 'events', id: 'events', reversed: true });
  const linksSlot = h('p', { class: 'links' });

  const renderHeader = () => {
    statusSlot.replaceChildren(statusBadge(experiment.status));
    progressSlot.replaceChildren(experiment.progress && !terminal.has(experiment.status)
      ? h('span', {}, `${experiment.progress.stage}: `, progressBar(experiment.progress.fraction, 'experiment progress'), ' ', experiment.progress.message ?? '') : '');
    actionsSlot.replaceChildren(...actions(experiment, refreshExperiment));
    stagesSlot.replaceChildren(experiment.stages.length ? table([
      { label: 'Stage', value: s => s.name }, { label: 'Started', value: s => when(s.startedAt) }, { label: 'Finished', value: s => when(s.finishedAt) },
      { label: 'Duration', num: true, value: s => s.seconds === null || s.seconds === undefined ? 'running' : duration(s.seconds) }], experiment.stages) : message('No stage started yet.'));
    alarmsSlot.replaceChildren(experiment.alarms.length ? h('ul', { class: 'alarms' }, experiment.alarms.map(a =>
      h('li', { class: 'alarm' }, h('strong', {}, a.kind), a.run ? ` · ${a.run}` : '', a.step !== null && a.step !== undefined ? ` · step ${a.step}` : '', ` — ${a.message} (${when(a.at)})`)))
      : message('No alarm raised.'));
    linksSlot.replaceChildren(
      experiment.links.report ? h('a', { href: `#/experiments/${id}/results` }, 'Results') : h('span', { class: 'muted' }, 'Results (once the report is written)'), ' · ',
      h('a', { href: `#/experiments/${id}/items` }, 'Paired items'), ' · ',
      h('a', { href: `#/experiments/${id}/completions` }, 'Sampled completions'));
  };

  let jobs = [];
  const renderJobs = () => {
    jobsSlot.replaceChildren(jobs.length ? table([
      { label: 'Job', value: j => h('span', { dataset: { job: j.name } }, j.name) }, { label: 'Stage', value: j => j.stage },
      { label: 'Arm', value: j => j.arm ?? '—' }, { label: 'Seed', num: true, value: j => j.seed ?? '—' },
      { label: 'Status', value: j => statusBadge(j.status) },
      { label: 'Progress', value: j => h('span', { class: 'job-progress', dataset: { job: j.name } }, progressBar(j.total ? j.done / j.total : (j.status === 'completed' ? 1 : 0), `${j.name} progress`), ` ${j.done}/${j.total}`) },
      { label: 'Message', value: j => h('span', { class: 'job-message', dataset: { job: j.name } }, j.error ?? j.message ?? '') },
      { label: 'Checkpoint step', num: true, value: j => j.lastCheckpointStep ?? '—' },
      { label: 'Attempts', num: true, value: j => j.attempts },
      { label: 'Worker', value: j => j.worker ?? '—' }], jobs, { className: 'jobs' }) : message('No job started yet.'));
  };

  let runs = [];
  let report = null;
  const renderCurves = () => curvesSlot.replaceChildren(curveSection(definition, runs));

  async function refreshExperiment() {
    experiment = await api(`/api/v1/experiments/${id}`, { signal });
    renderHeader();
  }
  async function refreshJobs(pending) {
    jobs = await (pending ?? api(`/api/v1/experiments/${id}/jobs`, { signal }));
    renderJobs();
  }
  async function refreshCurves() {
    runs = await loadRuns(id, jobs, signal);
    renderCurves();
    if (!experiment.links.report) await refreshHeldOut();
  }
  // Before the report exists, the held-out curve of each run comes from the evaluations stored at its checkpoints.
  async function refreshHeldOut() {
    const curves = (await Promise.all(jobs.filter(j => j.metrics).map(j =>
      api(`/api/v1/experiments/${id}/runs/${j.arm}-s${j.seed}/held-out`, { signal }).then(c => ({ ...c, arm: j.arm, seed: j.seed })).catch(() => null)))).filter(c => c?.points.length);
    const seeds = definition?.seeds ?? [];
    heldOutSlot.replaceChildren(curves.length ? section('Held-out trait curves', h('div', { class: 'grid' }, figure('Held-out trait score at each checkpoint', lineChart({
      xLabel: 'RL step', yLabel: 'held-out trait score (0–1)',
      series: curves.map(c => ({ label: `${c.arm} s${c.seed}`, color: runColour(definition, c.arm), dash: Math.max(0, seeds.indexOf(c.seed)), points: c.points.map(p => [p.step, num(p.heldOutScore)]) })),
    }), { caption: 'Mean held-out trait item score of the base model (step 0) and each checkpoint stored so far.', data: curves, dataName: `${id}-held-out.json` }))) : '');
  }
  async function loadReport() {
    if (!experiment.links.report || report) return;
    report = await api(experiment.links.report, { signal });
    heldOutSlot.replaceChildren(); // the report's curves replace the live ones
    reportSlot.replaceChildren(reportSections(definition, report, experiment));
  }

  renderHeader();
  // The report (when there is one) loads while the jobs and then the run metrics do.
  const reportLoaded = loadReport().catch(() => {});
  await refreshJobs(firstJobs);
  await refreshCurves();
  await reportLoaded;
  if (signal.aborted) return;

  main.replaceChildren(
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Experiments'), ' / ', experiment.name),
    h('h1', {}, experiment.name, ' ', statusSlot),
    h('p', { class: 'meta' }, h('span', { class: 'mono' }, experiment.id), ` · preset ${definition?.name ?? '—'} · arms × seeds ${armsBySeeds(definition)}`,
      definition?.budget ? ` · ${definition.budget.steps} RL steps, ${definition.budget.promptsPerStep} prompts × ${definition.budget.groupSize} samples per step` : '',
      ` · created ${when(experiment.createdAt)}`, experiment.finishedAt ? ` · finished ${when(experiment.finishedAt)}` : '', ' ', actionsSlot),
    experiment.error ? message(experiment.error, 'error') : '',
    linksSlot, progressSlot,
    section('Stages', stagesSlot),
    section('Jobs', jobsSlot),
    section('Alarms', alarmsSlot),
    curvesSlot,
    heldOutSlot,
    reportSlot,
    section('Live events', h('p', { class: 'muted' }, terminal.has(experiment.status) && report
      ? `The experiment is ${experiment.status}: no more events will arrive.` : 'Newest first, as they arrive from the API\'s event stream.'), eventsList));

  if (terminal.has(experiment.status) && report) return;

  // Live: every event updates the header at once; jobs, curves and the report are re-read at most once a second.
  let pending = null;
  const schedule = (what) => {
    pending ??= new Set();
    pending.add(what);
    if (pending.size > 1) return;
    setTimeout(async () => {
      const todo = pending; pending = null;
      try {
        if (todo.has('experiment')) await refreshExperiment();
        if (todo.has('jobs')) await refreshJobs();
        if (todo.has('curves')) await refreshCurves();
        if (terminal.has(experiment.status)) await loadReport();
      } catch { /* the next event retries */ }
    }, 1000);
  };
  let lastCurves = 0;
  follow(`/api/v1/experiments/${id}/events`, ({ data: e }) => {
    eventsList.prepend(h('li', {}, `${when(e.at)} · ${e.kind}${e.job ? ` · ${e.job}` : ''}${e.stage ? ` · ${e.stage}` : ''}: ${e.status}${e.fraction !== null && e.fraction !== undefined ? ` ${percent(e.fraction)}` : ''}${e.message ? ` — ${e.message}` : ''}`));
    while (eventsList.children.length > 200) eventsList.lastChild.remove();
    experiment.status = e.status;
    if (e.stage && e.fraction !== null && e.fraction !== undefined) experiment.progress = { stage: e.stage, fraction: e.fraction, message: e.message };
    statusSlot.replaceChildren(statusBadge(e.status));
    progressSlot.replaceChildren(!terminal.has(e.status) && experiment.progress ? h('span', {}, `${experiment.progress.stage}: `, progressBar(experiment.progress.fraction, 'experiment progress'), ' ', experiment.progress.message ?? '') : '');
    if (e.job) {
      const cell = jobsSlot.querySelector(`.job-message[data-job="${CSS.escape(e.job)}"]`);
      if (cell && e.message) cell.textContent = e.message;
    }
    schedule('jobs');
    if (e.kind !== 'progress' || terminal.has(e.status)) schedule('experiment');
    if (Date.now() - lastCurves > 5000 || terminal.has(e.status)) { lastCurves = Date.now(); schedule('curves'); }
  }, signal).catch(() => {});
}

/** What the report adds to the experiment page: held-out curves, compute per arm, pre-flight checks. */
export function reportSections(definition, report, experiment) {
  const curves = report.analysis?.curves ?? [];
  const seeds = definition?.seeds ?? [];
  const heldOut = figure('Held-out trait score at each checkpoint', lineChart({
    xLabel: 'RL step', yLabel: 'held-out trait score (0–1)',
    series: curves.map(c => ({ label: `${c.arm} s${c.seed}`, color: runColour(definition, c.arm), dash: Math.max(0, seeds.indexOf(c.seed)), points: c.checkpoints.map(p => [p.step, num(p.heldOutScore)]) })),
  }), { caption: 'Mean held-out trait item score of each saved checkpoint (step 0: the base model).', data: `/api/v1/experiments/${experiment.id}/report`, dataName: `${experiment.id}-report.json` });
  const alarms = curves.filter(c => c.alarm?.fired);
  const compute = report.analysis?.compute;
  const checks = [...(report.preflight?.checks ?? [])];
  return h('div', {},
    section('Held-out trait curves', h('div', { class: 'grid' }, heldOut),
      alarms.length ? message(`Reward-hacking alarm fired on ${alarms.map(c => `${c.arm} s${c.seed}`).join(', ')}.`, 'error') : message('The reward-hacking alarm did not fire on any run.')),
    compute ? section('Compute per arm', table([
      { label: 'Arm', value: a => a.arm }, { label: 'Runs', num: true, value: a => a.runs }, { label: 'Steps', num: true, value: a => a.steps },
      { label: 'Tokens generated', num: true, value: a => si(a.tokensGenerated) }, { label: 'Tokens trained', num: true, value: a => si(a.tokensTrained) },
      { label: 'Estimated FLOPs', num: true, value: a => si(a.estimatedFlops) }, { label: 'Wall time', num: true, value: a => duration(a.wallSeconds) }], compute.arms),
    h('p', { id: 'compute-mismatch', class: compute.mismatch ? 'message error' : 'message' },
      compute.mismatch ? 'Compute MISMATCH: ' : 'Compute matched (within 2%): ',
      `tokens generated ${percent(compute.tokensGeneratedMismatch, 1)}, tokens trained ${percent(compute.tokensTrainedMismatch, 1)}, FLOPs ${percent(compute.flopsMismatch, 1)} (max/min − 1 across arms).`)) : '',
    section('Pre-flight checks', checks.length ? table([
      { label: 'Check', value: c => c.name }, { label: 'Passed', value: c => h('span', { class: c.passed ? 'ok' : 'bad' }, c.passed ? '✓ passed' : '✗ failed') },
      { label: 'Value', num: true, value: c => fmt(c.value, 3) }, { label: 'Criterion', value: c => c.criterion }, { label: 'Detail', value: c => c.detail }], checks, { className: 'preflight' })
      : message('This report has no pre-flight checks.'),
    report.headlineBlocked ? message(`Headline is not a finding: ${report.headlineBlocked}`, 'error') : ''));
}
