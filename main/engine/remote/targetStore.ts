// Targets and each target's share of a run, in the SQLite store (tables from migration 3).
import type { Store } from '../store/store.ts';
import { invalidInput, notFound } from '../../common/errors.ts';
import { checkTargetName, normalizeRemoteDir, parseSshUrl, type Target } from './ssh.ts';
import type { SweepSpecResolved } from '../../common/schemas.ts';

interface TargetRow { name: string; url: string; identity_file: string | null; remote_dir: string; added_at: string; last_test_json: string | null }

function rowToTarget(r: TargetRow): Target & { lastTest: unknown } {
  return {
    name: r.name, url: r.url, ...parseSshUrl(r.url), ...(r.identity_file ? { identityFile: r.identity_file } : {}),
    remoteDir: r.remote_dir, addedAt: r.added_at, lastTest: r.last_test_json ? JSON.parse(r.last_test_json) : null,
  };
}

export function addTarget(store: Store, t: { name: string; url: string; identityFile?: string; remoteDir?: string }): Target {
  checkTargetName(t.name);
  parseSshUrl(t.url);
  const remoteDir = normalizeRemoteDir(t.remoteDir);
  store.db.prepare(`INSERT INTO target(name, url, identity_file, remote_dir, added_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(name) DO UPDATE SET url = excluded.url, identity_file = excluded.identity_file, remote_dir = excluded.remote_dir`)
    .run(t.name, t.url, t.identityFile ?? null, remoteDir, new Date().toISOString());
  return getTarget(store, t.name);
}

export function listTargets(store: Store): Array<Target & { lastTest: unknown }> {
  return (store.db.prepare('SELECT * FROM target ORDER BY name').all() as TargetRow[]).map(rowToTarget);
}

export function getTarget(store: Store, name: string): Target & { lastTest: unknown } {
  const row = store.db.prepare('SELECT * FROM target WHERE name = ?').get(name) as TargetRow | undefined;
  if (!row) {
    const names = listTargets(store).map((t) => t.name);
    throw notFound(`no target "${name}"${names.length ? ` (targets: ${names.join(', ')})` : ''}: add it with \`kneepoint targets add ${name} ssh://user@host\``);
  }
  return rowToTarget(row);
}

/** Names from a comma list, each known; duplicates refused. */
export function resolveTargets(store: Store, names: string[]): Target[] {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw invalidInput(`target ${n} is named twice`);
    seen.add(n);
  }
  return names.map((n) => getTarget(store, n));
}

export function removeTarget(store: Store, name: string): boolean {
  return store.db.prepare('DELETE FROM target WHERE name = ?').run(name).changes > 0;
}

export function recordTargetTest(store: Store, name: string, result: unknown): void {
  store.db.prepare('UPDATE target SET last_test_json = ? WHERE name = ?').run(JSON.stringify({ ...result as object, at: new Date().toISOString() }), name);
}

// ---- which target measured a run, and each target's share of it ----
export interface RunPart { part: number; target: string; spec: SweepSpecResolved; remoteRunId: string | null }

export function setRunTarget(store: Store, runId: string, target: string): void {
  store.db.prepare('UPDATE run SET target = ? WHERE id = ?').run(target, runId);
}

export function addRunParts(store: Store, runId: string, parts: Array<Omit<RunPart, 'part' | 'remoteRunId'>>): void {
  const ins = store.db.prepare('INSERT INTO run_target_part(run_id, part, target, spec_json) VALUES (?, ?, ?, ?)');
  store.db.transaction(() => parts.forEach((p, i) => ins.run(runId, i, p.target, JSON.stringify(p.spec))))();
}

export function listRunParts(store: Store, runId: string): RunPart[] {
  return (store.db.prepare('SELECT * FROM run_target_part WHERE run_id = ? ORDER BY part').all(runId) as Array<{ part: number; target: string; spec_json: string; remote_run_id: string | null }>)
    .map((r) => ({ part: r.part, target: r.target, spec: JSON.parse(r.spec_json), remoteRunId: r.remote_run_id }));
}

export function setPartRemoteRun(store: Store, runId: string, part: number, remoteRunId: string): void {
  store.db.prepare('UPDATE run_target_part SET remote_run_id = ? WHERE run_id = ? AND part = ?').run(remoteRunId, runId, part);
}
