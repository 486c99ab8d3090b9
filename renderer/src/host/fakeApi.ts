// In-memory fake of the engine for UI unit tests and for running the UI before/without the real
// engine. Pure TypeScript (no DOM, no node:), deterministic, with sweeps that emit points on timers
// so the live chart behaves like the real thing.
import type {
  AddModelArgs, ApiEventName, ApiEvents, JobInfo, JobProgress, JobRef, KneepointApi, StoredPlanRecord,
} from '../../../main/common/api.ts';
import { MAX_MODEL_UPLOAD_BYTES, base64DecodedBytes, uploadTooLargeMessage } from '../../../main/common/modelUpload.ts';
import type {
  ModelInfo, PointConfig, PointResult, RunSummary, SweepRunResult, SystemInfo,
} from '../../../main/common/types.ts';
import type { LoadSpec, SweepSpec } from '../../../main/common/schemas.ts';
import { invalidInput, notFound } from '../../../main/common/errors.ts';
import type { Plan, PlanResult } from '../../../main/common/plan/types.ts';

type Listener = (payload: unknown) => void;

const HARDWARE = {
  cpu: { model: 'Fake CPU @ 3.0GHz', cores: 8, physicalCores: 4, speedGHz: 3 },
  memoryBytes: 16 * 2 ** 30, gpus: [], os: 'fake-os 1.0', fingerprint: 'fake0001',
};

function model(id: string, name: string, params: number, flops: number): ModelInfo {
  return {
    id, name, path: `/models/${id}.onnx`, source: `generated:${id}`, license: 'MIT',
    sha256: id.padEnd(64, '0').slice(0, 64), bytes: params * 4 + 1000,
    inputs: [{ name: 'x', type: 'float32', shape: ['N', 64] }],
    outputs: [{ name: 'y', type: 'float32', shape: ['N', 10] }],
    opsets: [{ domain: '', version: 17 }], params, paramBytes: params * 4, flopsPerSample: flops,
    dynamicBatch: true, batchDims: { x: 0 }, opHistogram: { MatMul: 3, Add: 3, Relu: 2 },
    description: `Fake ${name} for UI tests`,
    variants: [{ precision: 'fp32', path: `/models/${id}.onnx`, bytes: params * 4, sha256: 'x'.repeat(64) }],
  };
}

/** Service time model of the fake: latency grows with batch, threads help a little. */
function fakePoint(c: PointConfig, seed: number): PointResult {
  const base = 0.4 + 0.05 * c.batch ** 1.1;
  const speed = (c.precision.startsWith('int8') ? 0.5 : 1) / Math.sqrt(c.threadsPerInstance);
  const p50 = base * speed * (1 + 0.15 * (c.instances - 1)) * (1 + 0.02 * (seed % 5));
  const rps = (c.instances * 1000) / p50;
  const quantilesMs = Array.from({ length: 101 }, (_, i) => p50 * (0.8 + 0.4 * (i / 100) + (i > 95 ? (i - 95) * 0.1 : 0)));
  const unstable = c.batch === 8 && c.instances === 2;
  return {
    config: c, status: unstable ? 'unstable' : 'ok', error: unstable ? 'windows disagreed by 14% (tolerance 10%)' : undefined,
    requests: 700, samples: 700 * c.batch, samplesPerSec: rps * c.batch, requestsPerSec: rps,
    latencyMs: { p50, p90: p50 * 1.15, p95: p50 * 1.2, p99: p50 * 1.4, p999: null, mean: p50 * 1.05, min: p50 * 0.8, max: p50 * 1.9 },
    p99CiMs: [p50 * 1.32, p50 * 1.5], sessionCreateMs: 12, firstInferenceMs: 3, warmupRuns: 20, windows: 3,
    peakRssBytes: 80e6, littleGapPct: 1.2, providerUsed: c.provider, quantilesMs, durationMs: 300,
    profile: c.batch === 1 ? {
      byOpType: [{ opType: 'MatMul', totalMs: p50 * 0.7, pct: 70, calls: 3 }, { opType: 'Add', totalMs: p50 * 0.2, pct: 20, calls: 3 }, { opType: 'Relu', totalMs: p50 * 0.1, pct: 10, calls: 2 }],
      topNodes: [{ name: 'fc1', opType: 'MatMul', totalMs: p50 * 0.4, pct: 40 }],
    } : undefined,
  };
}

export interface FakeApiOptions {
  /** ms between points of a fake sweep */
  pointDelayMs?: number;
}

export function createFakeApi(opts: FakeApiOptions = {}) {
  const delay = opts.pointDelayMs ?? 150;
  const listeners = new Map<string, Set<Listener>>();
  const models: ModelInfo[] = [model('mlp-tiny', 'MLP tiny (256×4)', 200_000, 400_000), model('ocr-cls', 'PP-OCR text angle classifier', 140_000, 50_000_000)];
  const runs = new Map<string, SweepRunResult & { summary: RunSummary }>();
  type FakeJob = { cancelled: boolean; timer?: ReturnType<typeof setTimeout>; runId: string; kind: JobInfo['kind']; progress: JobProgress | null; finished: boolean };
  const jobs = new Map<string, FakeJob>();
  const storedPlans: StoredPlanRecord[] = [];
  let seq = 0;
  const emit = <E extends ApiEventName>(e: E, p: ApiEvents[E]) => { for (const l of listeners.get(e) ?? []) l(p); };

  function findModel(idOrPath: string): ModelInfo {
    const m = models.find((x) => x.id === idOrPath || x.path === idOrPath);
    if (!m) throw notFound(`model "${idOrPath}" is not in the catalog; add it with addModel or pick one from listModels`);
    return m;
  }

  function newRun(kind: RunSummary['kind'], m: ModelInfo, spec: unknown, name?: string) {
    const runId = `run-${++seq}`;
    const createdAt = new Date(Date.UTC(2025, 0, 1, 0, seq)).toISOString();
    const r: SweepRunResult & { summary: RunSummary } = {
      runId, status: 'running', model: { id: m.id, name: m.name, path: m.path, sha256: m.sha256 },
      hardware: HARDWARE, points: [], spec, createdAt, finishedAt: null,
      summary: { id: runId, kind, model: m.id, status: 'running', createdAt, pointCount: 0, name, tags: [], hardwareFingerprint: HARDWARE.fingerprint },
    };
    runs.set(runId, r);
    return r;
  }

  function grid(spec: SweepSpec): PointConfig[] {
    const out: PointConfig[] = [];
    for (const provider of spec.provider ?? ['cpu']) for (const precision of spec.precision ?? ['fp32'])
      for (const instances of spec.instances ?? [1]) for (const threadsPerInstance of spec.threads ?? [1])
        for (const batch of spec.batch ?? [1]) out.push({ batch, instances, threadsPerInstance, precision, provider });
    return out;
  }

  /** Synchronous sweep used to seed data. */
  function seedRun(spec: SweepSpec, name?: string): string {
    const r = newRun('sweep', findModel(spec.model), spec, name);
    r.points = grid(spec).map((c, i) => ({ ...fakePoint(c, i), id: i + 1 }));
    r.status = 'completed'; r.summary.status = 'completed'; r.summary.pointCount = r.points.length;
    r.finishedAt = r.createdAt;
    return r.runId;
  }

  const api = {
    async getInfo(): Promise<SystemInfo> {
      return {
        hardware: HARDWARE, versions: { node: 'v24.0.0', onnxruntime: '1.30.0', kneepoint: '0.1.0' },
        providers: [
          { name: 'cpu', available: true },
          { name: 'cuda', available: false, reason: 'no NVIDIA GPU found and CUDA libraries are not installed (npm run setup:cuda)' },
          { name: 'webgpu', available: false, reason: 'no WebGPU adapter on this machine' },
        ],
      };
    },
    async listModels() { return models.slice(); },
    async inspectModel(args: { model: string }) { return findModel(args.model); },
    async addModel(args: AddModelArgs) {
      if ('base64' in args) {
        const size = base64DecodedBytes(args.base64);
        if (size > MAX_MODEL_UPLOAD_BYTES) throw invalidInput(uploadTooLargeMessage(args.fileName, size));
        // an ONNX file is a protobuf ModelProto whose first field is ir_version (tag byte 0x08)
        if (size === 0 || atob(args.base64.slice(0, 4)).charCodeAt(0) !== 0x08) {
          throw invalidInput(`${args.fileName} is not a valid ONNX model (it may be another protobuf file or random bytes); re-export the model or download it again`);
        }
        const id = `user-${(args.name ?? args.fileName.replace(/\.onnx$/i, '')).toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;
        const m = { ...model(id, args.name ?? args.fileName.replace(/\.onnx$/i, ''), 10_000, 20_000), source: 'user', license: 'unknown', path: `/data/models/${args.fileName}`, bytes: size };
        models.push(m);
        return m;
      }
      if (!args.path.endsWith('.onnx')) throw invalidInput(`"${args.path}" is not an .onnx file; pick a file that ends in .onnx`);
      const id = (args.name ?? args.path.split(/[\\/]/).pop()!.replace(/\.onnx$/, '')).toLowerCase().replace(/[^a-z0-9-]+/g, '-');
      const m = { ...model(id, args.name ?? id, 10_000, 20_000), source: 'user', license: 'unknown (user file)', path: args.path };
      models.push(m);
      return m;
    },
    async startSweep(spec: SweepSpec): Promise<JobRef> {
      const m = findModel(spec.model);
      const r = newRun('sweep', m, spec, spec.name);
      const jobId = `job-${seq}`;
      const job: FakeJob = { cancelled: false, runId: r.runId, kind: 'sweep', progress: null, finished: false };
      jobs.set(jobId, job);
      const configs = grid(spec);
      const started = Date.now();
      let i = 0;
      const finish = (status: 'completed' | 'cancelled') => {
        r.status = status; r.summary.status = status; r.finishedAt = new Date().toISOString();
        job.finished = true;
        emit('job.finished', { jobId, runId: r.runId, status });
      };
      const step = () => {
        if (job.cancelled) return finish('cancelled');
        if (i >= configs.length) return finish('completed');
        const point = { ...fakePoint(configs[i], i), id: i + 1 };
        r.points.push(point); r.summary.pointCount = r.points.length; i++;
        emit('job.point', { jobId, runId: r.runId, point });
        const elapsedMs = Date.now() - started;
        job.progress = { jobId, runId: r.runId, done: i, total: configs.length, phase: `batch ${point.config.batch} × ${point.config.instances} instances`, elapsedMs, remainingMs: (elapsedMs / i) * (configs.length - i) };
        emit('job.progress', job.progress);
        job.timer = setTimeout(step, delay);
      };
      job.timer = setTimeout(step, delay);
      return { jobId, runId: r.runId };
    },
    async startLoad(spec: LoadSpec): Promise<JobRef> {
      const m = findModel(spec.model);
      const r = newRun('load', m, spec, spec.name);
      const jobId = `job-${seq}`;
      const job: FakeJob = { cancelled: false, runId: r.runId, kind: 'load', progress: null, finished: false };
      jobs.set(jobId, job);
      setTimeout(() => { r.summary.status = 'completed'; r.status = 'completed'; job.finished = true; emit('job.finished', { jobId, runId: r.runId, status: 'completed' }); }, delay);
      return { jobId, runId: r.runId };
    },
    async cancelJob(args: { jobId: string }) {
      const j = jobs.get(args.jobId);
      if (!j || j.cancelled || j.finished) return { cancelled: false };
      j.cancelled = true;
      return { cancelled: true };
    },
    async listJobs(): Promise<JobInfo[]> {
      return [...jobs].filter(([, j]) => !j.finished).map(([jobId, j]) => ({ jobId, runId: j.runId, kind: j.kind, progress: j.progress }));
    },
    async listRuns(args?: { model?: string; kind?: string }) {
      return [...runs.values()].map((r) => ({ ...r.summary }))
        .filter((s) => (!args?.model || s.model === args.model) && (!args?.kind || s.kind === args.kind))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    async getRun(args: { runId: string }): Promise<SweepRunResult> {
      const r = runs.get(args.runId);
      if (!r) throw notFound(`run "${args.runId}" not found; list runs with listRuns`);
      const { summary: _s, ...rest } = r;
      return structuredClone({ ...rest, status: r.summary.status });
    },
    async updateRun(args: { runId: string; name?: string; tags?: string[] }) {
      const r = runs.get(args.runId);
      if (!r) throw notFound(`run "${args.runId}" not found`);
      if (args.name !== undefined) r.summary.name = args.name;
      if (args.tags !== undefined) r.summary.tags = args.tags;
      return { ...r.summary };
    },
    async deleteRun(args: { runId: string }) { return { deleted: runs.delete(args.runId) }; },
    async plan(args: { runId?: string; workload: unknown; workloadYaml?: string }): Promise<PlanResult & { planId: string }> {
      const w = (args.workload ?? {}) as Record<string, any>;
      const rate = Number(w.traffic?.meanRatePerSec ?? 100);
      const peak = Number(w.traffic?.peakToMean ?? 2);
      const sla = Number(w.sla?.slaMs ?? 50);
      const price = Number(w.instances?.[0]?.pricePerHourUsd ?? 0.1);
      const capacityAt = (slaMs: number) => Math.max(1, 400 * Math.min(1, slaMs / 20));
      const replicasAt = (slaMs: number) => Math.ceil((rate * peak) / capacityAt(slaMs)) + 1;
      const monthly = rate * 86400 * 30;
      const plan = (mode: Plan['mode'], replicas: number, cost: number, feasible: boolean): Plan => ({
        mode, variant: mode === 'batch' ? 'scheduled' : 'fixed', feasible, reason: feasible ? undefined : `zero-load latency exceeds the ${sla} ms SLA`,
        config: { precision: 'fp32', batch: 8, maxDelayMs: 2, instances: 1, threadsPerInstance: 1, instanceType: String(w.instances?.[0]?.name ?? 'measured-machine') },
        replicas, monthlyCostUsd: cost, costPerMillionUsd: cost / (monthly / 1e6), monthlyInferences: monthly,
        predicted: mode === 'realtime' ? { p50Ms: sla * 0.3, p99Ms: sla * 0.8, p99BandMs: [sla * 0.7, sla * 0.9] } : null,
        utilization: 0.6, headroomPct: 20, bindingConstraint: mode === 'realtime' ? 'p99 SLA at peak rate' : 'batch window', arithmetic: [],
      });
      const rt = plan('realtime', replicasAt(sla), replicasAt(sla) * price * 730, sla >= 5);
      const bt = plan('batch', 1, Math.ceil(monthly / (capacityAt(sla) * 3 * 3600 * 30)) * price * 3 * 30, w.callers?.synchronous === false);
      const plans = [rt, bt].sort((a, b) => Number(b.feasible) - Number(a.feasible) || a.monthlyCostUsd! - b.monthlyCostUsd!);
      const result: PlanResult = {
        verdict: plans[0].feasible ? plans[0].mode : 'infeasible', plans,
        explanation: [`At ${rate} req/s (peak ×${peak}) with a ${sla} ms p99 SLA, ${plans[0].mode} is the cheapest feasible mode.`, 'Numbers come from the fake engine (demo data).'],
        sensitivity: {
          sla: [5, 10, 20, 50, 100, 200].map((s) => ({ slaMs: s, monthlyCostUsd: replicasAt(s) * price * 730, verdict: 'realtime' as const })),
          deadline: [1, 60, 600, 3600, 86400].map((d) => ({ deadlineS: d, monthlyCostUsd: (rt.monthlyCostUsd! / (1 + Math.log10(d))), verdict: 'deferred' as const })),
        },
        costUnknown: false, breakEvenRatePerSec: null, uncertaintyPct: 0, relaxations: [], budgetExceeded: false,
        runId: args.runId ?? '', model: String(w.model?.id ?? 'mlp-tiny'), workloadName: String(w.name ?? 'workload'),
      };
      const planId = `plan-${++seq}`;
      storedPlans.unshift({ id: planId, runId: args.runId ?? null, workload: structuredClone(args.workload), result, createdAt: new Date(Date.UTC(2025, 0, 1, 0, seq)).toISOString() });
      return { ...result, planId };
    },
    async listPlans(args?: { runId?: string }) {
      return storedPlans.filter((p) => !args?.runId || p.runId === args.runId)
        .map((p) => ({ id: p.id, runId: p.runId, createdAt: p.createdAt, verdict: (p.result as PlanResult).verdict, workloadName: (p.workload as { name?: string } | null)?.name }));
    },
    async getPlan(args: { planId: string }) {
      const p = storedPlans.find((x) => x.id === args.planId);
      if (!p) throw notFound(`plan "${args.planId}" not found; list plans with listPlans`);
      return structuredClone(p);
    },
    async listWorkloads() {
      return [{ id: 'chat-api', name: 'Chat API (real-time)', path: 'workloads/chat-api.yaml', yaml: 'name: Chat API\nmodel:\n  id: mlp-tiny\nsla:\n  percentile: 99\n  slaMs: 50\ncallers:\n  synchronous: true\ntraffic:\n  meanRatePerSec: 100\n  peakToMean: 2\ninstances:\n  - name: c6i.large\n    pricePerHourUsd: 0.085\n' }];
    },
    async predict(args: unknown) { return { echo: args, latencyMs: { p99: 12 } }; },
    async exportReport(args: { id: string; format: 'html' | 'json' | 'csv' | 'pdf' }) {
      const body = JSON.stringify(runs.get(args.id) ?? { id: args.id });
      return { fileName: `${args.id}.${args.format}`, mime: 'application/json', base64: btoa(body) };
    },
    async importFile(args: { fileName: string; base64: string }) {
      const runId = seedRun({ model: models[0].id, batch: [1, 2] }, `imported ${args.fileName}`);
      return { runId, duplicate: false };
    },
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => { set.delete(listener as Listener); };
    },
  } satisfies KneepointApi;

  return Object.assign(api, {
    /** test helper: add a completed sweep without waiting for timers */
    seedRun,
    async close() { for (const j of jobs.values()) { j.cancelled = true; if (j.timer) clearTimeout(j.timer); } },
  });
}
