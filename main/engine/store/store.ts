// The SQLite store (better-sqlite3, WAL). Every point is committed the moment it finishes, so a
// killed process loses at most the point in flight. Runs left 'running' by a dead process read as
// 'interrupted' and can be resumed.
import type Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { describeWriteError, openDatabase, type OpenDatabaseOptions } from './openDatabase.ts';
import type {
  HardwareInfo, ModelInfo, ModelRef, PointResult, RunKind, RunStatus, RunSummary, SweepRunResult,
} from '../../common/types.ts';
import { notFound } from '../../common/errors.ts';
import { hardwareLabel } from '../../common/hardwareLabel.ts';

export interface RunRow {
  id: string;
  kind: RunKind;
  name: string | null;
  tags: string[];
  model: ModelRef;
  hardware: HardwareInfo | null;
  spec: unknown;
  status: RunStatus;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  versions: unknown;
  result: unknown;
  /** the remote target that measured it (null: this machine) */
  target: string | null;
}

const nowIso = () => new Date().toISOString();

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A stable key of a point's configuration, used to skip finished points on resume. */
export function configKey(config: object): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(config));
}

/** The import record writeImport keeps in a run's result (none for runs measured here). */
function importedFrom(result: unknown): { imported: NonNullable<RunSummary['imported']> } | null {
  const imp = (result as { imported?: { format?: unknown; fileName?: unknown; importedAt?: unknown } } | null)?.imported;
  if (!imp || (imp.format !== 'kneepoint-json' && imp.format !== 'perf_analyzer-csv')) return null;
  return { imported: { format: imp.format, fileName: String(imp.fileName ?? ''), ...(typeof imp.importedAt === 'string' ? { importedAt: imp.importedAt } : {}) } };
}

function pidAlive(pid: number | null, host: string | null): boolean {
  if (!pid) return false;
  if (host && host !== hostname()) return true; // cannot tell for another machine: trust the row
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Store {
  readonly db: Database.Database;
  readonly path: string;

  /** opened for reading only: nothing is written to the file (writes fail with an error naming it) */
  readonly readOnly: boolean;

  constructor(path: string, opts: OpenDatabaseOptions = {}) {
    this.path = path;
    this.readOnly = opts.readOnly ?? false;
    this.db = openDatabase(path, opts);
  }

  /** Runs a write; a full disk or a read-only file becomes an error that names the file. */
  private write<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw describeWriteError(err, this.path, what);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  upsertHardware(hw: HardwareInfo): void {
    if (!hw.fingerprint) return;
    this.write('recording this machine', () => this.db.prepare(`INSERT INTO hardware(fingerprint, info_json, first_seen) VALUES (?, ?, ?)
      ON CONFLICT(fingerprint) DO UPDATE SET info_json = excluded.info_json`).run(hw.fingerprint, JSON.stringify(hw), nowIso()));
  }

  getHardware(fingerprint: string): HardwareInfo | null {
    const row = this.db.prepare('SELECT info_json FROM hardware WHERE fingerprint = ?').get(fingerprint) as { info_json: string } | undefined;
    return row ? JSON.parse(row.info_json) : null;
  }

  // ---- models (user-added; built-ins come from the catalog) ----
  upsertModel(m: ModelInfo): void {
    this.write(`adding model ${m.id}`, () => this.db.prepare(`INSERT INTO model(id, sha256, path, name, source, license, info_json, added_at)
      VALUES (@id, @sha256, @path, @name, @source, @license, @info, @at)
      ON CONFLICT(id) DO UPDATE SET sha256 = excluded.sha256, path = excluded.path, name = excluded.name,
        info_json = excluded.info_json`).run({
      id: m.id, sha256: m.sha256, path: m.path, name: m.name, source: m.source, license: m.license,
      info: JSON.stringify(m), at: nowIso(),
    }));
  }

  listUserModels(): ModelInfo[] {
    return (this.db.prepare('SELECT info_json FROM model ORDER BY added_at').all() as Array<{ info_json: string }>)
      .map((r) => JSON.parse(r.info_json));
  }

  // ---- custom precision variants ----
  addCustomVariant(v: { modelSha256: string; path: string; sha256: string; bytes: number; label?: string }): void {
    this.write('adding a custom variant', () => this.db.prepare(`INSERT INTO custom_variant(model_sha256, path, sha256, bytes, label, added_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(model_sha256, sha256) DO UPDATE SET path = excluded.path, label = excluded.label, added_at = excluded.added_at`)
      .run(v.modelSha256, v.path, v.sha256, v.bytes, v.label ?? null, nowIso()));
  }

  /** Newest first. */
  listCustomVariants(modelSha256: string): Array<{ path: string; sha256: string; bytes: number; label: string | null; addedAt: string }> {
    return (this.db.prepare('SELECT path, sha256, bytes, label, added_at FROM custom_variant WHERE model_sha256 = ? ORDER BY added_at DESC, id DESC')
      .all(modelSha256) as Array<{ path: string; sha256: string; bytes: number; label: string | null; added_at: string }>)
      .map((r) => ({ path: r.path, sha256: r.sha256, bytes: r.bytes, label: r.label, addedAt: r.added_at }));
  }

  // ---- runs ----
  createRun(r: { id?: string; kind: RunKind; name?: string; model: ModelRef; hardware: HardwareInfo; spec: unknown; versions: unknown }): string {
    const id = r.id ?? newId('run');
    this.upsertHardware(r.hardware);
    this.write('creating a run', () => this.db.prepare(`INSERT INTO run(id, kind, name, model_id, model_json, hardware_fingerprint, spec_json, status,
        created_at, versions_json, pid, host) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`)
      .run(id, r.kind, r.name ?? null, r.model.id, JSON.stringify(r.model), r.hardware.fingerprint ?? null,
        JSON.stringify(r.spec), nowIso(), JSON.stringify(r.versions), process.pid, hostname()));
    return id;
  }

  /** Mark a run as running again in this process (resume). */
  reopenRun(id: string): void {
    this.write(`resuming run ${id}`, () => this.db.prepare(`UPDATE run SET status = 'running', finished_at = NULL, error = NULL, pid = ?, host = ? WHERE id = ?`)
      .run(process.pid, hostname(), id));
  }

  finishRun(id: string, status: RunStatus, extra?: { error?: string; result?: unknown }): void {
    this.write(`marking run ${id} ${status} (resume it later with \`kneepoint sweep --resume ${id}\`)`, () => this.db.prepare('UPDATE run SET status = ?, error = ?, result_json = COALESCE(?, result_json), finished_at = ? WHERE id = ?')
      .run(status, extra?.error ?? null, extra?.result === undefined ? null : JSON.stringify(extra.result), nowIso(), id));
  }

  updateRunMeta(id: string, meta: { name?: string; tags?: string[] }): void {
    const res = this.write(`renaming run ${id}`, () => this.db.prepare('UPDATE run SET name = COALESCE(?, name), tags_json = COALESCE(?, tags_json) WHERE id = ?')
      .run(meta.name ?? null, meta.tags ? JSON.stringify(meta.tags) : null, id));
    if (res.changes === 0) throw notFound(`run ${id} not found: list runs with \`kneepoint runs\``);
  }

  deleteRun(id: string): boolean {
    return this.write(`deleting run ${id}`, () => this.db.prepare('DELETE FROM run WHERE id = ?').run(id).changes > 0);
  }

  private rowToRun(row: Record<string, unknown>): RunRow {
    let status = row.status as RunStatus;
    if (status === 'running' && !pidAlive(row.pid as number | null, row.host as string | null)) status = 'interrupted';
    return {
      id: row.id as string,
      kind: row.kind as RunKind,
      name: (row.name as string | null) ?? null,
      tags: JSON.parse((row.tags_json as string) ?? '[]'),
      model: JSON.parse(row.model_json as string),
      hardware: row.hardware_fingerprint ? this.getHardware(row.hardware_fingerprint as string) : null,
      spec: JSON.parse(row.spec_json as string),
      status,
      error: (row.error as string | null) ?? null,
      createdAt: row.created_at as string,
      finishedAt: (row.finished_at as string | null) ?? null,
      versions: row.versions_json ? JSON.parse(row.versions_json as string) : null,
      result: row.result_json ? JSON.parse(row.result_json as string) : null,
      target: (row.target as string | null | undefined) ?? null,
    };
  }

  getRunRow(id: string): RunRow {
    const row = this.db.prepare('SELECT * FROM run WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!row) throw notFound(`run ${id} not found: list runs with \`kneepoint runs\``);
    return this.rowToRun(row);
  }

  listRuns(filter?: { model?: string; kind?: string }): RunSummary[] {
    const rows = this.db.prepare(`SELECT run.*, (SELECT COUNT(*) FROM point WHERE point.run_id = run.id) AS point_count
      FROM run WHERE (? IS NULL OR model_id = ?) AND (? IS NULL OR kind = ?) ORDER BY created_at DESC, rowid DESC`)
      .all(filter?.model ?? null, filter?.model ?? null, filter?.kind ?? null, filter?.kind ?? null) as Array<Record<string, unknown>>;
    return rows.map((row) => {
      const r = this.rowToRun(row);
      return {
        id: r.id, kind: r.kind, model: r.model.id, status: r.status, createdAt: r.createdAt,
        pointCount: Number(row.point_count), name: r.name ?? undefined, tags: r.tags,
        hardwareFingerprint: (row.hardware_fingerprint as string | null) ?? undefined,
        ...(r.hardware ? { hardwareLabel: hardwareLabel(r.hardware) } : {}),
        ...(importedFrom(r.result) ?? {}),
        ...(r.target ? { target: r.target } : {}),
      };
    });
  }

  // ---- points ----
  /** Commit one finished point (its own transaction; durable before the next point starts). */
  addPoint(runId: string, point: PointResult): number {
    const { histogram, ...rest } = point;
    const key = configKey(point.config);
    const seq = (this.db.prepare('SELECT COALESCE(MAX(seq), -1) + 1 AS s FROM point WHERE run_id = ?').get(runId) as { s: number }).s;
    const info = this.write(`storing a point of run ${runId} (resume it with \`kneepoint sweep --resume ${runId}\` once there is room)`, () => this.db.prepare(`INSERT INTO point(run_id, seq, config_key, status, stable, error, result_json, histogram, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(run_id, config_key) DO UPDATE SET status = excluded.status, stable = excluded.stable, error = excluded.error,
        result_json = excluded.result_json, histogram = excluded.histogram, created_at = excluded.created_at`)
      .run(runId, seq, key, point.status, point.status === 'ok' ? 1 : 0, point.error ?? null, JSON.stringify(rest), histogram ?? null, nowIso()));
    return Number(info.lastInsertRowid);
  }

  listPoints(runId: string, opts?: { withHistograms?: boolean }): PointResult[] {
    const rows = this.db.prepare('SELECT id, result_json, histogram FROM point WHERE run_id = ? ORDER BY seq').all(runId) as
      Array<{ id: number; result_json: string; histogram: string | null }>;
    return rows.map((r) => {
      const p = JSON.parse(r.result_json) as PointResult;
      p.id = r.id;
      if (opts?.withHistograms !== false && r.histogram) p.histogram = r.histogram;
      return p;
    });
  }

  finishedConfigKeys(runId: string): Set<string> {
    return new Set((this.db.prepare('SELECT config_key FROM point WHERE run_id = ?').all(runId) as Array<{ config_key: string }>)
      .map((r) => r.config_key));
  }

  getRunResult(id: string): SweepRunResult {
    const r = this.getRunRow(id);
    const extra = (r.result ?? {}) as Partial<SweepRunResult>;
    return {
      runId: r.id,
      status: r.status,
      model: r.model,
      hardware: r.hardware as HardwareInfo,
      points: this.listPoints(id),
      spec: r.spec,
      createdAt: r.createdAt,
      finishedAt: r.finishedAt,
      ...(extra.noisy !== undefined ? { noisy: extra.noisy, anchorDriftPct: extra.anchorDriftPct ?? null } : {}),
      ...(r.kind !== 'sweep' ? { kind: r.kind, result: r.result } : {}),
      ...(r.name ? { name: r.name } : {}),
      ...(r.error ? { error: r.error } : {}),
      ...(r.target ? { target: r.target } : {}),
    } as SweepRunResult;
  }

  // ---- plans ----
  addPlan(p: { runId: string | null; workload: unknown; result: unknown }): string {
    const id = newId('plan');
    this.write('storing a plan', () => this.db.prepare('INSERT INTO plan(id, run_id, workload_json, result_json, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, p.runId, JSON.stringify(p.workload), JSON.stringify(p.result), nowIso()));
    return id;
  }

  getPlan(id: string): { id: string; runId: string | null; workload: unknown; result: unknown; createdAt: string } {
    const row = this.db.prepare('SELECT * FROM plan WHERE id = ?').get(id) as Record<string, string> | undefined;
    if (!row) throw notFound(`plan ${id} not found: list plans with \`kneepoint plans\``);
    return { id: row.id, runId: row.run_id, workload: JSON.parse(row.workload_json), result: JSON.parse(row.result_json), createdAt: row.created_at };
  }

  listPlans(runId?: string): Array<{ id: string; runId: string | null; createdAt: string; verdict?: string; workloadName?: string }> {
    const rows = this.db.prepare('SELECT * FROM plan WHERE (? IS NULL OR run_id = ?) ORDER BY created_at DESC')
      .all(runId ?? null, runId ?? null) as Array<Record<string, string>>;
    return rows.map((r) => {
      const res = JSON.parse(r.result_json) as { verdict?: string };
      const wl = JSON.parse(r.workload_json) as { name?: string };
      return { id: r.id, runId: r.run_id, createdAt: r.created_at, verdict: res.verdict, workloadName: wl.name };
    });
  }
}

export function openStore(path: string, opts: OpenDatabaseOptions = {}): Store {
  return new Store(path, opts);
}
