// The full measurement table: every point (failed ones too), its percentiles with the p99
// confidence interval, throughput and flags; notes are numbered under the table.
import type { PointResult } from '../../common/types.ts';
import type { RunDocumentBody } from './runDocument.ts';
import { esc, fmtMs, fmtNum, fmtPct, fmtRate, DASH } from './htmlFormat.ts';
import { FLAG_MEANINGS } from './methodDefinitions.ts';
import { MIN_SAMPLES_P99, MIN_SAMPLES_P999 } from '../../common/stats/thresholds.ts';

/** Flags of one point: [css class, text]. */
export function pointFlags(p: PointResult, run: RunDocumentBody): Array<[string, string]> {
  const f: Array<[string, string]> = [];
  if (p.status === 'failed') f.push(['failed', 'failed']);
  if (p.status === 'unstable') f.push(['unstable', 'unstable']);
  if (run.noisy && p.status !== 'failed') f.push(['noisy', 'noisy']);
  if (p.status !== 'failed' && p.requests > 0 && p.requests < MIN_SAMPLES_P99) f.push(['few', 'few samples']);
  if (p.accuracy && !p.accuracy.withinBudget) f.push(['over', 'over budget']);
  if (p.littleGapPct !== undefined && p.littleGapPct > 10) f.push(['unstable', 'Little gap']);
  if (p.status !== 'failed' && !p.histogram && run.kind === 'import') f.push(['unstable', 'approximated']);
  if (!f.length) f.push(['ok', 'ok']);
  return f;
}

export function measurementsPage(run: RunDocumentBody): string {
  const notes: string[] = [];
  // notes every point shares (an import's caveats) are printed once, not once per row
  const withNotes = run.points.filter((p) => p.notes?.length);
  const common = run.points.length > 1 && withNotes.length === run.points.length
    ? (withNotes[0].notes ?? []).filter((n) => withNotes.every((p) => p.notes!.includes(n))) : [];
  const noteRef = (p: PointResult): string => {
    const lines = [...(p.error ? [`error: ${p.error.split('\n')[0]}`] : []), ...(p.notes ?? []).filter((n) => !common.includes(n))];
    if (p.accuracy) lines.push(`accuracy vs fp32: cosine ${p.accuracy.cosine.toFixed(5)}, max abs error ${p.accuracy.maxAbsErr.toPrecision(3)}${p.accuracy.top1Agreement !== undefined ? `, top-1 agreement ${fmtPct(p.accuracy.top1Agreement * 100, 1)}` : ''}`);
    if (!lines.length) return '';
    notes.push(lines.join('; '));
    return ` <sup>${notes.length}</sup>`;
  };
  const rows = run.points.map((p, i) => {
    const failed = p.status === 'failed';
    const l = p.latencyMs;
    const rateCell = p.config.requestRatePerSec !== undefined ? ` @ ${fmtRate(p.config.requestRatePerSec)}/s` : '';
    return `<tr class="${esc(p.status)}">
      <td class="num">${i + 1}</td>
      <td class="num">${p.config.batch}${rateCell}</td>
      <td>${p.config.instances} × ${p.config.threadsPerInstance}</td>
      <td>${esc(p.config.precision)} · ${esc(p.providerUsed ?? p.config.provider)}</td>
      <td class="num">${failed || !p.requests ? DASH : fmtNum(p.requests)}</td>
      <td class="num">${failed ? DASH : fmtMs(l.p50)}</td>
      <td class="num">${failed ? DASH : fmtMs(l.p90)}</td>
      <td class="num">${failed ? DASH : fmtMs(l.p95)}</td>
      <td class="num"><strong>${failed ? DASH : fmtMs(l.p99)}</strong></td>
      <td class="num">${p.p99CiMs ? `${fmtMs(p.p99CiMs[0])}–${fmtMs(p.p99CiMs[1])}` : DASH}</td>
      <td class="num">${failed ? DASH : fmtMs(l.p999)}</td>
      <td class="num">${failed ? DASH : fmtMs(l.mean)}</td>
      <td class="num"><strong>${failed ? DASH : fmtRate(p.samplesPerSec)}</strong></td>
      <td>${pointFlags(p, run).map(([c, t]) => `<span class="flag ${c}">${esc(t)}</span>`).join('')}${noteRef(p)}</td>
    </tr>`;
  });
  const used = new Set(run.points.flatMap((p) => pointFlags(p, run).map(([, t]) => t)));
  const legend = Object.entries(FLAG_MEANINGS).filter(([k]) => used.has(k)).map(([k, v]) => `<strong>${esc(k)}</strong>: ${esc(v)}`);
  return `<section class="page" id="measurements">
    <h2>All measurements</h2>
    <p class="small muted">Model-only latency per request in ms (one run() call inside the session: no queue, batching wait or network; nearest-rank percentiles); CI = distribution-free 95 % interval of p99;
      p99.9 only from ≥ ${MIN_SAMPLES_P999} samples; throughput in samples/s (requests × batch per second); n = requests in the reported windows.</p>
    <table class="data" data-testid="points-table">
      <thead><tr>
        <th class="num">#</th><th class="num">batch</th><th>inst × thr</th><th>precision · provider</th><th class="num">n</th>
        <th class="num">p50</th><th class="num">p90</th><th class="num">p95</th><th class="num">p99</th><th class="num">p99 CI</th>
        <th class="num">p99.9</th><th class="num">mean</th><th class="num">samples/s</th><th>flags</th>
      </tr></thead>
      <tbody>${rows.join('')}</tbody>
    </table>
    ${legend.length ? `<p class="small">${legend.join(' · ')}</p>` : ''}
    ${common.length ? `<h3>Every point</h3><ul class="notes">${common.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
    ${notes.length ? `<h3>Notes</h3><ol class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ol>` : ''}
  </section>`;
}
