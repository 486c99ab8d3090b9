// Page 1 of a report, written for someone who reads only this page: the verdict (or, for a run
// without a plan, what was measured) with how well the prediction was checked, the figures that
// matter, the latency-vs-throughput chart and every warning. Where and on what the numbers were
// measured goes with the method, last.
import type { PointResult } from '../../common/types.ts';
import type { Plan, PlanResult, Verdict } from '../../common/plan/types.ts';
import { headroomFigure, latencyAtSla } from '../../common/plan/planFigures.ts';
import type { ReportSubject } from './reportSubject.ts';
import { esc, fmtBytes, fmtDate, fmtMs, fmtPct, fmtRate, fmtUsd, DASH } from './htmlFormat.ts';
import { configGroupLabel } from './reportCharts.ts';
import { workloadFacts } from './workloadFacts.ts';
import type { ChartSpec } from './reportCharts.ts';
import { chartFigure } from './reportPlan.ts';
import { MIN_SAMPLES_P99 } from '../../common/stats/thresholds.ts';

const VERDICT_HEADLINE: Record<Verdict, string> = {
  realtime: 'Serve in real time (synchronous API)',
  deferred: 'Serve as deferred jobs (asynchronous API with a deadline)',
  batch: 'Precompute in scheduled batches',
  hybrid: 'Hybrid: scheduled batch precompute plus a real-time path',
  infeasible: 'Not feasible as specified',
};

export function pointConfigText(p: PointResult): string {
  const rate = p.config.requestRatePerSec !== undefined ? ` · offered ${p.config.requestRatePerSec} req/s` : '';
  return `batch ${p.config.batch} · ${configGroupLabel(p)}${rate}`;
}

function tile(k: string, v: string, s = ''): string {
  return `<div class="tile"><div class="k">${esc(k)}</div><div class="v">${v}</div><div class="s">${s}</div></div>`;
}

function planLines(chosen: Plan, plan: PlanResult, sla: { slaMs: number | null; percentile: number }): string[] {
  const c = chosen.config;
  const lines: string[] = [];
  if (c) {
    lines.push(`<strong>Configuration:</strong> ${chosen.replicas} × ${esc(c.instanceType)} · ${esc(c.precision)} · batch ${c.batch}` +
      `${c.maxDelayMs ? ` (max queue delay ${fmtMs(c.maxDelayMs)} ms)` : ''} · ${c.instances} instance(s) × ${c.threadsPerInstance} thread(s) · ${esc(chosen.variant)}`);
  }
  lines.push(plan.costUnknown || chosen.monthlyCostUsd === null
    ? '<strong>Cost:</strong> unknown (the workload gives no instance prices): the plan sizes capacity only'
    : `<strong>Cost:</strong> ${fmtUsd(chosen.monthlyCostUsd)} per month · ${fmtUsd(chosen.costPerMillionUsd)} per million inferences`);
  if (chosen.predicted) {
    // at the SLA percentile first (what the SLA is judged on), p99 beside it when that is another one
    const p = chosen.predicted;
    const l = latencyAtSla(p);
    lines.push(`<strong>Predicted end-to-end latency</strong> (queue + batching + model + network): p50 ${fmtMs(p.p50Ms)} ms, p${l.percentile} ${fmtMs(l.ms)} ms ` +
      `(band ${fmtMs(l.bandMs[0])}–${fmtMs(l.bandMs[1])} ms)` +
      (l.percentile !== 99 ? `, p99 ${fmtMs(p.p99Ms)} ms` : '') +
      (sla.slaMs !== null ? ` against the SLA p${sla.percentile} ≤ ${fmtMs(sla.slaMs)} ms` : ''));
  }
  const headroom = headroomFigure(chosen);
  lines.push(`<strong>Headroom:</strong> ${headroom === null ? 'none to fill (serverless: scales per request)' : `${esc(headroom)} % at peak`} · limited by ${esc(chosen.bindingConstraint)}`);
  return lines;
}

function verdictCard(subject: ReportSubject): string {
  const { run, plan } = subject;
  if (plan) {
    const r = plan.result;
    const chosen = r.plans.find((p) => p.feasible && p.mode === r.verdict) ?? null;
    const w = workloadFacts(plan.workload);
    // the first lines, and the engine's "Checked by validate run …" / "Not checked …" line wherever it is
    const firstLines = r.explanation.slice(0, 3);
    const check = r.explanation.find((l) => /^(Checked by validate run|Not checked on this machine)/.test(l));
    if (check && !firstLines.includes(check)) firstLines.push(check);
    const why = firstLines.map((l) => `<li${l === check ? ' data-testid="checked"' : ''}>${esc(l)}</li>`).join('');
    return `<div class="verdict ${r.verdict === 'infeasible' ? 'infeasible' : ''}" data-testid="verdict">
      <div class="label">Recommendation for “${esc(w.name ?? r.workloadName)}”</div>
      <div class="headline">${esc(VERDICT_HEADLINE[r.verdict] ?? r.verdict)}</div>
      ${chosen ? planLines(chosen, r, { slaMs: w.slaMs, percentile: w.percentile }).map((l) => `<p>${l}</p>`).join('') : ''}
      ${why ? `<ul>${why}</ul>` : ''}
    </div>`;
  }
  const ok = run.points.filter((p) => p.status !== 'failed');
  const best = ok.reduce<PointResult | null>((a, p) => (!a || p.samplesPerSec > a.samplesPerSec ? p : a), null);
  return `<div class="verdict" data-testid="verdict">
    <div class="label">Measurement summary</div>
    <div class="headline">${best ? `Up to ${fmtRate(best.samplesPerSec)} samples/s on this machine` : 'No successful measurement'}</div>
    ${best ? `<p>Best throughput at ${esc(pointConfigText(best))}, with model-only p99 ${fmtMs(best.latencyMs.p99)} ms per request.</p>` : ''}
    <p class="muted">No plan is attached. For a recommendation and its cost, plan a workload against run
    <code>${esc(run.runId)}</code> (Plan view or <code>kneepoint plan</code>) and report the plan's id instead.</p>
  </div>`;
}

function caveats(subject: ReportSubject): string[] {
  const { run, plan } = subject;
  const out: string[] = [];
  const quick = ((run.spec ?? {}) as { method?: { windowMinMs?: number } }).method?.windowMinMs;
  if (quick !== undefined && quick < 1000) out.push(`This run used <strong>shortened windows</strong> (${quick} ms per window): a quick look, not a measurement to plan production on. Re-measure with the standard method before committing money.`);
  const unstable = run.points.filter((p) => p.status === 'unstable').length;
  const failed = run.points.filter((p) => p.status === 'failed');
  const few = run.points.filter((p) => p.status !== 'failed' && p.requests > 0 && p.requests < MIN_SAMPLES_P99).length;
  if (run.noisy) out.push(`The sweep is marked <strong>noisy</strong>: its anchor point drifted ${fmtPct(run.anchorDriftPct ?? null, 1)} between start and end. Re-measure on a quieter machine before committing money.`);
  if (unstable) out.push(`${unstable} of ${run.points.length} points are <strong>unstable</strong> (their last windows disagreed by more than the tolerance): indicative figures.`);
  if (failed.length) out.push(`${failed.length} point(s) <strong>failed</strong>: ${esc(failed.map((p) => `batch ${p.config.batch} (${(p.error ?? 'no reason').split('\n')[0]})`).join('; '))}.`);
  if (few) out.push(`${few} point(s) have fewer than ${MIN_SAMPLES_P99} requests, the minimum for a trustworthy p99; their confidence intervals show the spread.`);
  if (run.kind === 'import') out.push('These measurements were <strong>imported</strong> from another tool: distributions are approximated from the percentiles it reported (see the notes under the table).');
  if (plan && plan.result.uncertaintyPct > 0) out.push(`The chosen instance was not measured: capacity and latency carry ±${plan.result.uncertaintyPct} % until re-measured there.`);
  if (plan && plan.result.budgetExceeded) out.push('The cheapest feasible plan is <strong>over the budget</strong>; the plan page lists what would fit.');
  return out;
}

/** What a plan is about: the workload's model, and the run's when its curves stand in for it. */
export function planSubjectName(r: PlanResult): string {
  const m = r.curvesModelMismatch;
  if (!m) return r.model;
  return m.mapped ? `${m.workload} (mapped to ${m.run}'s curves)` : `${m.workload} (on ${m.run}'s curves: wrong model)`;
}

export function summaryPage(subject: ReportSubject, generatedAt: string, chart?: ChartSpec): string {
  const { run, plan } = subject;
  const hw = run.hardware;
  const ok = run.points.filter((p) => p.status !== 'failed');
  const best = ok.reduce<PointResult | null>((a, p) => (!a || p.samplesPerSec > a.samplesPerSec ? p : a), null);
  const fastest = ok.reduce<PointResult | null>((a, p) => (!a || p.latencyMs.p99 < a.latencyMs.p99 ? p : a), null);
  const counts = (['ok', 'unstable', 'failed'] as const).map((s) => run.points.filter((p) => p.status === s).length);
  const title = plan ? `${planSubjectName(plan.result)}: ${VERDICT_HEADLINE[plan.result.verdict] ?? plan.result.verdict}` : `${run.model.name}: measured performance`;
  const cav = caveats(subject);
  const where = hw ? `${hw.cpu.model}${hw.cpu.cores ? ` (${hw.cpu.cores} cores)` : ''}` : 'unknown hardware';
  return `<section class="page" id="summary">
    <header class="doc-head">
      <div class="brand">Kneepoint · performance report</div>
      <h1>${esc(title)}</h1>
      <div class="meta">${plan ? `Plan <code>${esc(plan.id)}</code> · ` : ''}Run <code>${esc(run.runId)}</code>${run.name ? ` “${esc(run.name)}”` : ''} · ${esc(run.kind ?? 'sweep')} · ${esc(run.status)} ·
        measured ${fmtDate(run.createdAt)} on ${esc(where)} · report generated ${fmtDate(generatedAt)}</div>
    </header>
    <h2>Summary</h2>
    ${verdictCard(subject)}
    <div class="tiles">
      ${tile('Best throughput', best ? `${fmtRate(best.samplesPerSec)}<span class="small"> samples/s</span>` : DASH, best ? esc(pointConfigText(best)) : '')}
      ${tile('Lowest model-only p99', fastest ? `${fmtMs(fastest.latencyMs.p99)}<span class="small"> ms</span>` : DASH, fastest ? esc(pointConfigText(fastest)) : '')}
      ${tile('Points measured', String(run.points.length), `${counts[0]} ok · ${counts[1]} unstable · ${counts[2]} failed`)}
      ${tile('Run quality', run.noisy ? 'noisy' : run.anchorDriftPct !== undefined && run.anchorDriftPct !== null ? 'steady' : DASH,
        run.anchorDriftPct !== undefined && run.anchorDriftPct !== null ? `anchor drift ${fmtPct(run.anchorDriftPct, 1)}` : 'no anchor re-measurement')}
    </div>
    ${cav.length ? `<h3>Read with care</h3><ul class="explain" data-testid="warnings">${cav.map((c) => `<li>${c}</li>`).join('')}</ul>` : ''}
    ${chart ? chartFigure(chart) : ''}
  </section>`;
}

/** Where and on what the numbers were measured: the hardware and model tables (with the method, last). */
export function machineTables(run: ReportSubject['run']): string {
  const hw = run.hardware;
  const versions = (run.versions ?? {}) as Record<string, string>;
  const spec = (run.spec ?? {}) as { source?: string; fileName?: string };
  return `
    <div class="cols">
      <div>
        <h3>Hardware</h3>
        <table class="kv" data-testid="hardware"><tbody>
          <tr><th>CPU</th><td>${esc(hw?.cpu.model ?? 'unknown')}</td></tr>
          <tr><th>Cores</th><td>${hw?.cpu.cores ? `${hw.cpu.cores} logical · ${hw.cpu.physicalCores} physical` : DASH}${hw?.cpu.speedGHz ? ` · ${hw.cpu.speedGHz} GHz` : ''}</td></tr>
          <tr><th>Memory</th><td>${fmtBytes(hw?.memoryBytes)}</td></tr>
          <tr><th>GPU</th><td>${hw?.gpus.length ? esc(hw.gpus.map((g) => `${g.model}${g.vramBytes ? ` (${fmtBytes(g.vramBytes)})` : ''}`).join(', ')) : 'none'}</td></tr>
          <tr><th>OS</th><td>${esc(hw?.os ?? 'unknown')}</td></tr>
          <tr><th>Fingerprint</th><td><code>${esc(hw?.fingerprint ?? DASH)}</code></td></tr>
        </tbody></table>
      </div>
      <div>
        <h3>Model</h3>
        <table class="kv" data-testid="model"><tbody>
          <tr><th>Name</th><td>${esc(run.model.name)}</td></tr>
          <tr><th>Id</th><td><code>${esc(run.model.id)}</code></td></tr>
          <tr><th>File</th><td><code>${esc(run.model.path)}</code></td></tr>
          <tr><th>SHA-256</th><td><code>${esc(run.model.sha256 ? run.model.sha256.slice(0, 16) + '…' : DASH)}</code></td></tr>
          <tr><th>Software</th><td>${versions.onnxruntime ? `onnxruntime-node ${esc(versions.onnxruntime)} · Node ${esc(versions.node)}${versions.kneepoint ? ` · Kneepoint ${esc(versions.kneepoint)}` : ''}` : spec.source ? `imported from ${esc(spec.source)}` : DASH}</td></tr>
          <tr><th>Finished</th><td>${fmtDate(run.finishedAt ?? null)}</td></tr>
        </tbody></table>
      </div>
    </div>
`;
}
