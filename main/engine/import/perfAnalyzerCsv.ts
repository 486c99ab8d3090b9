// Reads Triton perf_analyzer's CSV (`perf_analyzer -f FILE`, optionally `--verbose-csv`): one row
// per concurrency level or request rate, latencies in µs, throughput in inferences/s. Each row
// becomes a point of a run of kind 'import'; what perf_analyzer does not record is stated in the
// point's notes, and the latency distribution is approximated from its percentiles.
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { invalidInput } from '../../common/errors.ts';
import type { HardwareInfo, PointResult, Precision, ProviderName } from '../../common/types.ts';
import { hardwareFingerprint } from '../system/hardware.ts';
import { APPROX_QUANTILES_NOTE, approxQuantiles, meanOfQuantiles } from './approxQuantiles.ts';
import type { ImportBundle, ImportSource } from './importedRun.ts';

export interface PerfAnalyzerOptions {
  /** model id to file the run under (default perf_analyzer:<file name>) */
  model?: string;
  /** perf_analyzer's -b (its CSV does not record it); default 1 */
  batch?: number;
  precision?: Precision;
  provider?: ProviderName;
  /** what the measured machine was (its CSV does not record it), e.g. "g5.xlarge (A10G)" */
  hardware?: string;
  name?: string;
}

const REQUIRED = ['Inferences/Second', 'p50 latency', 'p90 latency', 'p95 latency', 'p99 latency'] as const;
const BREAKDOWN: Array<[string, string]> = [
  ['Client Send', 'client send'], ['Network+Server Send/Recv', 'network+server send/recv'], ['Server Queue', 'server queue'],
  ['Server Compute Input', 'compute input'], ['Server Compute Infer', 'compute infer'], ['Server Compute Output', 'compute output'],
  ['Client Recv', 'client recv'],
];
const EXAMPLE_HEADER = 'Concurrency,Inferences/Second,Client Send,Network+Server Send/Recv,Server Queue,Server Compute Input,Server Compute Infer,Server Compute Output,Client Recv,p50 latency,p90 latency,p95 latency,p99 latency';

/** Splits CSV text into rows of cells (RFC 4180 quoting; CRLF or LF). */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

export function readPerfAnalyzerCsv(text: string, source: ImportSource, opts: PerfAnalyzerOptions = {}): ImportBundle {
  const f = source.fileName;
  const rows = parseCsvRows(text);
  const header = (rows[0] ?? []).map((h) => h.trim());
  const first = header[0];
  if (first !== 'Concurrency' && first !== 'Request Rate') {
    throw invalidInput(`${f}: not a perf_analyzer CSV: the first column is "${first ?? ''}", expected "Concurrency" or "Request Rate" (header like: ${EXAMPLE_HEADER})`);
  }
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) {
    throw invalidInput(`${f}: perf_analyzer CSV is missing column(s) ${missing.map((m) => `"${m}"`).join(', ')}; Kneepoint needs Inferences/Second and p50/p90/p95/p99 latency (µs), as \`perf_analyzer -f FILE\` writes them`);
  }
  if (rows.length < 2) throw invalidInput(`${f}: perf_analyzer CSV has a header but no measurement rows`);
  const batch = opts.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw invalidInput(`--batch must be a positive integer (perf_analyzer's -b); got ${opts.batch}`);
  const byRate = first === 'Request Rate';
  const col = (name: string) => header.indexOf(name);
  const extraPct = header.map((h) => /^p(\d+(?:\.\d+)?) latency$/.exec(h)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1]));
  const seen = new Map<number, number>();

  const points: PointResult[] = rows.slice(1).map((cells, idx) => {
    const line = idx + 2;
    if (cells.length < header.length) throw invalidInput(`${f}:${line}: row has ${cells.length} cells, the header has ${header.length}: the file looks truncated`);
    const value = (name: string, required = true): number | null => {
      const i = col(name);
      if (i < 0) return null;
      const raw = cells[i].trim();
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v) || v < 0) {
        if (!required) return null;
        throw invalidInput(`${f}:${line}: column "${name}" is "${raw}", expected a non-negative number`);
      }
      return v;
    };
    const level = value(first)!;
    if (level <= 0 || (!byRate && !Number.isInteger(level))) throw invalidInput(`${f}:${line}: ${first} must be a positive ${byRate ? 'number' : 'integer'} (got ${level})`);
    if (seen.has(level)) throw invalidInput(`${f}:${line}: ${first} ${level} repeats row ${seen.get(level)}; perf_analyzer writes one row per level: import the files separately`);
    seen.set(level, line);
    const infPerSec = value('Inferences/Second')!;
    const pct = new Map(extraPct.map((p) => [p, value(`p${p} latency`)! / 1000]));
    const anchors = [...pct].map(([p, v]) => [p, v] as const);
    const q = approxQuantiles(anchors);
    const avgUs = value('Avg latency', false);
    const meanMs = avgUs !== null ? avgUs / 1000 : meanOfQuantiles(q);
    const requestsPerSec = infPerSec / batch;
    const notes = [
      byRate
        ? `imported from perf_analyzer (${f}, line ${line}): open loop at ${level} requests/s; latencies include queueing; server model instances are not recorded (instances = 1)`
        : `imported from perf_analyzer (${f}, line ${line}): concurrency ${level} → instances ${level} (requests the client kept outstanding, not server model instances)`,
      APPROX_QUANTILES_NOTE,
      ...(avgUs === null ? ['mean approximated from the quantiles: the CSV has no "Avg latency" column (perf_analyzer --verbose-csv writes it)'] : []),
      'not in perf_analyzer CSV: request count, warm-up, windows, session creation, first-inference time, memory, p99 confidence interval',
    ];
    const breakdown = BREAKDOWN.map(([c, label]) => [label, value(c, false)] as const).filter(([, v]) => v !== null);
    if (breakdown.length) notes.push(`perf_analyzer breakdown, mean µs per request: ${breakdown.map(([l, v]) => `${l} ${v}`).join(', ')}`);
    const instances = byRate ? 1 : level;
    const little = !byRate && meanMs > 0 ? (Math.abs((requestsPerSec * meanMs) / 1000 - instances) / instances) * 100 : undefined;
    return {
      config: {
        batch, instances, threadsPerInstance: 1, precision: opts.precision ?? 'fp32', provider: opts.provider ?? 'cpu',
        ...(byRate ? { requestRatePerSec: level } : {}),
      },
      status: 'ok',
      requests: 0, samples: 0, samplesPerSec: infPerSec, requestsPerSec,
      latencyMs: {
        p50: pct.get(50)!, p90: pct.get(90)!, p95: pct.get(95)!, p99: pct.get(99)!, p999: null,
        mean: meanMs, min: q[0], max: q[100],
      },
      p99CiMs: null, sessionCreateMs: 0, firstInferenceMs: 0, warmupRuns: 0, windows: 0, peakRssBytes: 0,
      ...(little !== undefined ? { littleGapPct: little } : {}),
      quantilesMs: q,
      notes,
    } satisfies PointResult;
  });
  // perf_analyzer sorts rows by throughput; a curve reads better by level
  points.sort((a, b) => (a.config.requestRatePerSec ?? a.config.instances) - (b.config.requestRatePerSec ?? b.config.instances));

  const label = opts.hardware ?? 'unknown machine (perf_analyzer CSV does not record hardware)';
  const hwBase: Omit<HardwareInfo, 'fingerprint'> = { cpu: { model: label, cores: 0, physicalCores: 0, speedGHz: 0 }, memoryBytes: 0, gpus: [], os: 'unknown' };
  const stem = basename(f).replace(/\.csv$/i, '');
  const modelId = opts.model ?? `perf_analyzer:${stem}`;
  return {
    source,
    run: {
      // same file + same options = same run id: importing twice finds the first import
      id: `run_pa_${createHash('sha256').update(`${source.sha256}|${batch}|${modelId}|${opts.precision ?? ''}|${opts.provider ?? ''}|${label}`).digest('hex').slice(0, 12)}`,
      kind: 'import', name: opts.name ?? `perf_analyzer ${stem}`, tags: ['imported', 'perf_analyzer'],
      model: { id: modelId, name: modelId, path: '', sha256: '' },
      hardware: { ...hwBase, fingerprint: hardwareFingerprint(hwBase) },
      spec: { source: 'perf_analyzer', fileName: basename(f), mode: byRate ? 'request-rate' : 'concurrency', batch, columns: header, sha256: source.sha256 },
      versions: null, status: 'completed', points,
    },
  };
}
