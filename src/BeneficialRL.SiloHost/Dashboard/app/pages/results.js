// Page 4: the report — the headline with seed-level intervals and the primary endpoints, a per-benchmark forest
// plot, the transfer matrix, persistence curves and the checkpoint structure; each figure has its data.
import { api } from '../api.js';
import { h, fmt, signed, withInterval, percent, section, message, table, num, palette } from '../dom.js';
import { figure, forestPlot, heatmap, lineChart, scatterPlot } from '../charts.js';

const interval = e => e?.seedLevelInterval ?? e?.itemLevelInterval;

/** Forest rows of one seed-level report: estimate and its interval per benchmark (seed-level, or item-level when S < 2). */
export function forestRows(seedLevel) {
  return (seedLevel?.benchmarks ?? []).map(b => ({
    label: b.name, estimate: b.estimatePoints, lower: interval(b)?.lower, upper: interval(b)?.upper,
    flag: b.significantImprovement ? 'up' : b.significantRegression ? 'down' : null,
  }));
}

export async function resultsPage({ main, signal, notFound }, id) {
  let experiment;
  try { experiment = await api(`/api/v1/experiments/${encodeURIComponent(id)}`, { signal }); } catch (e) { if (e.status === 404 || e.status === 400) { notFound(`Experiment ${id}`); return; } throw e; }
  document.title = `Results: ${experiment.name} — BeneficialRL`;
  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Experiments'), ' / ', h('a', { href: `#/experiments/${id}` }, experiment.name), ' / Results');
  if (!experiment.links.report) {
    main.replaceChildren(crumbs, h('h1', {}, 'Results'), message(`The experiment is ${experiment.status}; results appear when its report is written.`));
    return;
  }
  const report = await api(experiment.links.report, { signal });
  if (signal.aborted) return;
  main.replaceChildren(crumbs, h('h1', {}, `Results: ${experiment.name}`), ...renderReport(report, id));
}

export function renderReport(report, id) {
  const analysis = report.analysis;
  const reportUrl = `/api/v1/experiments/${id}/report`;
  const out = [];
  if (report.headlineBlocked) out.push(message(`Not a finding: ${report.headlineBlocked}`, 'error'));

  out.push(section('Headline', table([
    { label: 'Arm', value: r => r.arm },
    { label: 'Seed pairs', num: true, value: r => r.seedPairs },
    { label: 'OOD gain (a), points', num: true, value: r => withInterval(r.oodGainPoints, r.oodGainLower, r.oodGainUpper) },
    { label: 'p (a)', num: true, value: r => fmt(r.oodGainP, 3) },
    { label: 'Held-out trait Δ (b), points', num: true, value: r => withInterval(r.heldOutGainPoints, r.heldOutGainLower, r.heldOutGainUpper) },
    { label: 'p (b)', num: true, value: r => fmt(r.heldOutGainP, 3) },
    { label: 'Improved', num: true, value: r => `${r.improved}/${r.benchmarks} (${percent(r.improvedShare)})` },
    { label: 'Seed-level significant ↑ / ↓', num: true, value: r => r.seedLevelSignificantImprovements === null || r.seedLevelSignificantImprovements === undefined ? 'n/a (one seed pair)' : `${r.seedLevelSignificantImprovements} / ${r.seedLevelSignificantRegressions}` },
    { label: 'Mean power', num: true, value: r => percent(r.meanPower) },
    { label: 'Capability change, points', num: true, value: r => signed(r.capabilityChangePoints) },
    { label: 'Refusal rate (arm / baseline)', num: true, value: r => `${percent(r.treatmentRefusalRate, 1)} / ${percent(r.baselineRefusalRate, 1)}` },
  ], report.headline ?? [], { className: 'headline-table', caption: `Primary endpoints with 95% intervals: ${(report.headline?.[0]?.intervalBasis) ?? ''}` }),
  h('p', {}, h('button', { type: 'button', class: 'link data', onclick: () => import('../api.js').then(m => m.download(reportUrl, `${id}-report.json`)) }, 'data'), ' report.json')));

  for (const c of analysis.comparisons ?? []) {
    const rows = forestRows(c.oodSeedLevel);
    if (rows.length) {
      const s = c.oodSeedLevel;
      out.push(section(`Per-benchmark gains: ${c.arm} − ${analysis.baseline}`,
        figure(`OOD alignment benchmarks (${rows.length})`, forestPlot(rows), {
          id: `forest-${c.arm}`,
          caption: `${c.arm} − ${analysis.baseline} per benchmark in points (0–100 score scale), ${s.conditionalOnRuns ? 'item-level 95% CI, conditional on these runs (one seed pair)' : `seed-level 95% t interval over ${s.seedPairs} seed pairs`}; green ● significant gain, orange ■ significant regression (BH q ≤ ${s.falseDiscoveryRate}). Endpoint: ${withInterval(s.endpoint.estimatePoints, interval(s.endpoint)?.lower, interval(s.endpoint)?.upper)} points.`,
          data: c.oodSeedLevel, dataName: `${id}-${c.arm}-ood-seed-level.json`,
        }),
        c.capability ? figure('Capability benchmarks', forestPlot(forestRows(c.capability)), { caption: 'Capability trade-off in points; kept out of the OOD headline.', data: c.capability, dataName: `${id}-${c.arm}-capability.json` }) : '',
        c.heldOutSeedLevel ? figure('Held-out traits', forestPlot(forestRows(c.heldOutSeedLevel)), { caption: 'Held-out-scenario trait differences in points.', data: c.heldOutSeedLevel, dataName: `${id}-${c.arm}-held-out.json` }) : '',
        h('p', {}, h('a', { href: `#/experiments/${id}/items` }, 'Open the paired per-item drill-down'))));
    }
  }

  const transfer = analysis.transfer;
  if (transfer?.trainingConditions?.length && transfer?.evaluationDomains?.length) {
    out.push(section('Transfer matrix', figure('Training condition × evaluation domain', heatmap(transfer.trainingConditions, transfer.evaluationDomains, (r, c) => {
      const cell = transfer.cells[r][c];
      return cell?.deltaPoints ? { value: cell.deltaPoints.estimate, interval: `[${signed(cell.deltaPoints.interval.lower)}, ${signed(cell.deltaPoints.interval.upper)}]${cell.qValue !== null && cell.qValue !== undefined ? ` q=${fmt(cell.qValue, 3)}` : ''}` } : null;
    }), { id: 'transfer', caption: 'Mean gain over the baseline of items in each evaluation domain, in points, with a bootstrap 95% CI.', data: transfer, dataName: `${id}-transfer.json` })));
  }

  const p = report.persistence;
  if (p) {
    const figures = [];
    if (p.fineTuning?.length) {
      for (const scope of ['inDomainMeanPoints', 'outOfDomainMeanPoints']) {
        figures.push(figure(`Harmful fine-tuning dose ladder (${scope.startsWith('in') ? 'in-domain' : 'out-of-domain'})`, lineChart({
          xLabel: 'harmful SFT dose (steps)', yLabel: 'mean score (points)',
          series: p.fineTuning.map((s, i) => ({ label: s.subject, color: palette[i % palette.length], points: s.rungs.map(r => [r.lineage.dose, num(r[scope])]) })),
        }), { caption: 'Mean benchmark score after each dose of SFT on bad advice, per starting checkpoint.', data: p.fineTuning.map(s => ({ subject: s.subject, domain: s.domain, rungs: s.rungs.map(r => ({ dose: r.lineage.dose, inDomainMeanPoints: r.inDomainMeanPoints, outOfDomainMeanPoints: r.outOfDomainMeanPoints })) })), dataName: `${id}-dose-ladder.json` }));
      }
    }
    if (p.adversarialComparisons?.length) {
      const rows = p.adversarialComparisons.flatMap(c => c.kinds.map(k => ({
        label: `${c.subject} vs ${c.reference}: ${k.kind}`, estimate: k.comparison.differencePoints.estimate,
        lower: k.comparison.differencePoints.interval.lower, upper: k.comparison.differencePoints.interval.upper,
      })));
      figures.push(figure('Persona degradation: difference between arms', forestPlot(rows, { xLabel: 'degradation difference (points)' }),
        { caption: 'Degradation under adversarial persona prefixes, subject − reference, in points with a bootstrap 95% CI.', data: p.adversarialComparisons, dataName: `${id}-persona.json` }));
    }
    if (figures.length) out.push(section('Persistence', h('div', { class: 'grid' }, ...figures)));
  }

  const structure = analysis.checkpointStructure;
  if (structure) out.push(section('Checkpoint structure', ...checkpointStructureFigures(structure, id)));

  const files = (report.files ?? []).filter(f => f.endsWith('.png') || f.endsWith('.html'));
  if (files.length) out.push(section('Report files', h('ul', {}, files.map(f => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => import('../api.js').then(m => m.download(`/api/v1/experiments/${id}/reports/${f}`, `${id}-${f}`)) }, f))))));
  return out;
}

/**
 * The held-out trait scores' structure across checkpoints: the Spearman correlation matrix as a heatmap, the
 * checkpoints on the first two principal components, the explained variance with its permutation test. Where the
 * analysis could not compute them (fewer than 3 checkpoints), its note says why.
 */
function checkpointStructureFigures(structure, id) {
  const dataName = `${id}-checkpoint-structure.json`;
  const figures = [];
  const rho = structure.spearman;
  if (rho?.benchmarks?.length) {
    figures.push(figure('Spearman correlation of held-out trait scores across checkpoints', heatmap(rho.benchmarks, rho.benchmarks,
      (r, c) => ({ value: num(rho.coefficients[r][c]), interval: '' }),
      { digits: 2, extent: 1, caption: 'Cells: Spearman ρ between two benchmarks over the evaluated checkpoints (−1 to 1); blue = positive, orange = negative' }),
    { caption: `ρ over ${structure.checkpoints.length} checkpoints (${structure.checkpoints.join(', ')}); with few checkpoints each ρ is very uncertain.`, data: structure, dataName }));
  }
  const pca = structure.pca;
  if (pca?.checkpointScores?.length && pca.checkpointScores[0]?.length >= 2) {
    const share = i => `${fmt(100 * num(pca.explainedVarianceRatios[i]), 1)} % of variance`;
    const arms = [...new Set(structure.checkpoints.map(c => c.split(/[-@]/)[0]))];
    const permutation = structure.permutation;
    figures.push(figure('Checkpoints on the first two principal components', scatterPlot(
      structure.checkpoints.map((label, i) => ({ label, x: pca.checkpointScores[i][0], y: pca.checkpointScores[i][1], color: palette[arms.indexOf(label.split(/[-@]/)[0]) % palette.length] })),
      { xLabel: `PC1 score (${share(0)})`, yLabel: `PC2 score (${share(1)})` }),
    { caption: `PCA of the standardised held-out trait scores (${pca.benchmarks.length} benchmarks${pca.excludedConstantBenchmarks?.length ? `; constant, left out: ${pca.excludedConstantBenchmarks.join(', ')}` : ''}).${permutation ? ` PC1 explains ${fmt(100 * num(permutation.observedFirstRatio), 1)} % against ${fmt(100 * num(permutation.nullMeanFirstRatio), 1)} % on average when each benchmark's scores are permuted across checkpoints (95th percentile ${fmt(100 * num(permutation.nullUpperQuantileFirstRatio), 1)} %; p = ${fmt(permutation.pValue, 3)}, ${permutation.permutations} permutations).` : ''}`, data: structure, dataName }));
  }
  if (!figures.length) {
    figures.push(figure('Correlation and PCA of held-out trait scores across checkpoints', message(structure.note || 'Not computed.'), { caption: 'Computed once at least 3 checkpoints are evaluated.', data: structure, dataName }));
  }
  return figures;
}
