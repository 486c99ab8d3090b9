// Reads a Kneepoint JSON export (`kneepoint.run` or `kneepoint.plan`) from another machine. The run
// keeps its id, its hardware (and fingerprint) and every point with its histogram; fields this
// version does not know are kept as they are.
import { z } from 'zod';
import { invalidInput } from '../../common/errors.ts';
import { precisionSchema, providerSchema } from '../../common/schemas.ts';
import type { HardwareInfo, PointResult, RunKind, RunStatus } from '../../common/types.ts';
import { hardwareFingerprint } from '../system/hardware.ts';
import { REPORT_SCHEMA_VERSION } from '../report/runDocument.ts';
import type { ImportBundle, ImportSource } from './importedRun.ts';

const num = z.number().finite();
const ms = num.min(0);

const pointSchema = z.looseObject({
  config: z.looseObject({
    batch: z.number().int().min(1),
    instances: z.number().int().min(1),
    threadsPerInstance: z.number().int().min(1),
    precision: precisionSchema,
    provider: providerSchema,
    requestRatePerSec: num.positive().optional(),
  }),
  status: z.enum(['ok', 'unstable', 'failed']),
  error: z.string().optional(),
  requests: z.number().int().min(0),
  samples: z.number().int().min(0),
  samplesPerSec: num.min(0),
  requestsPerSec: num.min(0),
  latencyMs: z.looseObject({ p50: ms, p90: ms, p95: ms, p99: ms, p999: ms.nullable(), mean: ms, min: ms, max: ms }),
  p99CiMs: z.tuple([ms, ms]).nullable(),
  quantilesMs: z.array(ms).optional(),
  histogram: z.string().regex(/^[A-Za-z0-9+/=]*$/, 'not base64').optional(),
  notes: z.array(z.string()).optional(),
});

const hardwareSchema = z.looseObject({
  cpu: z.looseObject({ model: z.string(), cores: z.number().int().min(0), physicalCores: z.number().int().min(0), speedGHz: num.min(0) }),
  memoryBytes: num.min(0),
  gpus: z.array(z.looseObject({ model: z.string(), vendor: z.string() })),
  os: z.string(),
  fingerprint: z.string().min(1).optional(),
});

const runKinds = ['sweep', 'load', 'validate', 'import'] as const;

const runDocSchema = z.looseObject({
  runId: z.string().min(1).max(200).regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only'),
  runKind: z.enum(runKinds).optional(),
  status: z.enum(['running', 'completed', 'cancelled', 'failed', 'interrupted']),
  model: z.looseObject({ id: z.string().min(1), name: z.string(), path: z.string(), sha256: z.string() }),
  hardware: hardwareSchema,
  points: z.array(pointSchema),
  spec: z.unknown().optional(),
  createdAt: z.string().optional(),
  finishedAt: z.string().nullable().optional(),
  noisy: z.boolean().optional(),
  anchorDriftPct: num.nullable().optional(),
  name: z.string().optional(),
  tags: z.array(z.string()).optional(),
  versions: z.unknown().optional(),
});

const planDocSchema = z.looseObject({
  planId: z.string().min(1).max(200).regex(/^[\w.:-]+$/),
  createdAt: z.string().optional(),
  workload: z.unknown(),
  result: z.looseObject({ verdict: z.string(), plans: z.array(z.unknown()), explanation: z.array(z.string()) }),
  run: z.unknown(),
});

function describe(error: z.ZodError, fileName: string, prefix = ''): string {
  const lines = error.issues.slice(0, 5).map((i) => {
    const path = [prefix, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('').replace(/^\./, '');
    return `${path || '(top level)'}: ${i.message}`;
  });
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : '';
  return `${fileName} is not a valid Kneepoint export: ${lines.join('; ')}${more}`;
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const truncated = /end of (JSON )?input|Unterminated|Expected .* after/i.test(msg) && !/[}\]]\s*$/.test(text);
    throw invalidInput(`${fileName} is not valid JSON (${msg})${truncated ? ': the file looks truncated; export it again' : ''}`);
  }
}

function toRun(raw: unknown, fileName: string, prefix: string): ImportBundle['run'] {
  const parsed = runDocSchema.safeParse(raw);
  if (!parsed.success) throw invalidInput(describe(parsed.error, fileName, prefix));
  const d = parsed.data;
  // the old `export` command spread a non-sweep run's own kind over the document kind
  const docKind = (raw as { kind?: string }).kind;
  const kind: RunKind = d.runKind ?? ((runKinds as readonly string[]).includes(docKind ?? '') ? docKind as RunKind : 'sweep');
  const hw = d.hardware as unknown as HardwareInfo;
  const hardware: HardwareInfo = { ...hw, fingerprint: hw.fingerprint ?? hardwareFingerprint(hw) };
  const points = (d.points as unknown as PointResult[]).map(({ id: _id, ...p }) => p as PointResult);
  // a run exported while it was measuring is not running here
  const status: RunStatus = d.status === 'running' ? 'interrupted' : d.status;
  return {
    id: d.runId, kind, name: d.name, tags: d.tags ?? [], model: d.model, hardware,
    spec: d.spec ?? null, versions: d.versions ?? null, status, createdAt: d.createdAt, finishedAt: d.finishedAt ?? null,
    result: d.noisy !== undefined ? { noisy: d.noisy, anchorDriftPct: d.anchorDriftPct ?? null } : undefined,
    points,
  };
}

/** Validates a Kneepoint JSON export; throws invalid-input naming the first problems and where. */
export function readKneepointJson(text: string, source: ImportSource): ImportBundle {
  const raw = parseJson(text, source.fileName);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidInput(`${source.fileName} holds JSON ${Array.isArray(raw) ? 'array' : typeof raw}, not a Kneepoint export (an object with schemaVersion and kind)`);
  }
  const doc = raw as { schemaVersion?: unknown; kind?: unknown };
  if (doc.schemaVersion === undefined) {
    throw invalidInput(`${source.fileName} has no schemaVersion: not a Kneepoint export (write one with \`kneepoint report ID --format json\`)`);
  }
  if (typeof doc.schemaVersion !== 'number' || !Number.isInteger(doc.schemaVersion) || doc.schemaVersion < 1) {
    throw invalidInput(`${source.fileName}: schemaVersion must be a positive integer (got ${JSON.stringify(doc.schemaVersion)})`);
  }
  if (doc.schemaVersion > REPORT_SCHEMA_VERSION) {
    throw invalidInput(`${source.fileName} has schemaVersion ${doc.schemaVersion}, newer than this Kneepoint reads (${REPORT_SCHEMA_VERSION}): upgrade Kneepoint on this machine`);
  }
  if (doc.kind === 'kneepoint.plan') {
    const p = planDocSchema.safeParse(raw);
    if (!p.success) throw invalidInput(describe(p.error, source.fileName));
    if (!p.data.run) throw invalidInput(`${source.fileName}: plan ${p.data.planId} was exported without its run; export the plan from the machine that has the run`);
    const run = toRun(p.data.run, source.fileName, 'run');
    return { source, run, plan: { id: p.data.planId, workload: p.data.workload, result: { ...p.data.result, runId: run.id }, createdAt: p.data.createdAt } };
  }
  if (doc.kind === 'kneepoint.run' || (runKinds as readonly string[]).includes(String(doc.kind))) {
    return { source, run: toRun(raw, source.fileName, '') };
  }
  throw invalidInput(`${source.fileName}: kind ${JSON.stringify(doc.kind)} is not one Kneepoint imports (kneepoint.run, kneepoint.plan)`);
}
