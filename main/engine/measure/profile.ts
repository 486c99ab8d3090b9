// ORT operator profiles: enableProfiling + profileFilePrefix make ORT write a Chrome-trace JSON
// (`<prefix>_<date>.json`) at endProfiling(). This turns it into time per op type and the top nodes.
import { readdirSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { InputPin, OpProfile } from '../../common/types.ts';
import type { SweepGroup } from '../../common/sweepGrid.ts';
import { InstancePool } from './instancePool.ts';
import { defaultProfilePrefix, ortOptionsJson } from './sessionOptions.ts';

interface TraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  args?: { op_name?: string };
}

const KERNEL_SUFFIX = '_kernel_time';

/**
 * Aggregate a parsed ORT profile (array of trace events, or `{traceEvents: [...]}`) over every
 * recorded run: kernel time per op type (with call counts) and the `topN` slowest nodes. Percentages
 * are of the total kernel time. Session events (load, initialization) are ignored.
 */
export function parseOrtProfile(json: unknown, topN = 10): OpProfile {
  const events: TraceEvent[] = Array.isArray(json) ? json
    : json && typeof json === 'object' && Array.isArray((json as { traceEvents?: unknown }).traceEvents)
      ? (json as { traceEvents: TraceEvent[] }).traceEvents : [];
  const byOp = new Map<string, { totalUs: number; calls: number }>();
  const byNode = new Map<string, { opType: string; totalUs: number }>();
  let totalUs = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || typeof e.name !== 'string' || !e.name.endsWith(KERNEL_SUFFIX)) continue;
    const dur = typeof e.dur === 'number' ? e.dur : 0;
    const opType = e.args?.op_name ?? 'unknown';
    const node = e.name.slice(0, -KERNEL_SUFFIX.length) || '(unnamed)';
    totalUs += dur;
    const o = byOp.get(opType) ?? { totalUs: 0, calls: 0 };
    o.totalUs += dur;
    o.calls++;
    byOp.set(opType, o);
    const n = byNode.get(node) ?? { opType, totalUs: 0 };
    n.totalUs += dur;
    byNode.set(node, n);
  }
  const pct = (us: number) => (totalUs > 0 ? (100 * us) / totalUs : 0);
  return {
    byOpType: [...byOp].map(([opType, o]) => ({ opType, totalMs: o.totalUs / 1000, pct: pct(o.totalUs), calls: o.calls }))
      .sort((a, b) => b.totalMs - a.totalMs),
    topNodes: [...byNode].map(([name, n]) => ({ name, opType: n.opType, totalMs: n.totalUs / 1000, pct: pct(n.totalUs) }))
      .sort((a, b) => b.totalMs - a.totalMs).slice(0, topN),
  };
}

/** The newest file ORT wrote for `prefix` (`<prefix>_<date>.json`), or undefined. */
export function findProfileFile(prefix: string): string | undefined {
  const dir = dirname(prefix);
  const base = basename(prefix);
  let best: { path: string; mtimeMs: number } | undefined;
  let names: string[];
  try { names = readdirSync(dir); } catch { return undefined; }
  for (const name of names) {
    if (!name.startsWith(`${base}_`) || !name.endsWith('.json')) continue;
    const path = join(dir, name);
    const mtimeMs = statSync(path).mtimeMs;
    if (!best || mtimeMs > best.mtimeMs) best = { path, mtimeMs };
  }
  return best?.path;
}

/**
 * Read the profile written for `prefix` after `session.endProfiling()`, and delete the file unless
 * `keep` is set (profiles of long runs are tens of MB).
 */
export async function readOpProfile(prefix: string, opts: { keep?: boolean; topN?: number } = {}): Promise<OpProfile> {
  const file = findProfileFile(prefix);
  if (!file) throw new Error(`no ORT profile found for prefix ${prefix} (was enableProfiling set and endProfiling() called?)`);
  const profile = parseOrtProfile(JSON.parse(await readFile(file, 'utf8')), opts.topN ?? 10);
  if (!opts.keep) await rm(file, { force: true });
  return profile;
}

/**
 * Per-operator profile of one point: a separate single-instance session with ORT profiling on, run
 * `runs` times, so the profiler's overhead never touches the measured figures.
 */
export async function profilePoint(modelPath: string, g: SweepGroup, batch: number, pins: InputPin[], batchDims?: Record<string, number | null>, runs = 20): Promise<OpProfile> {
  const prefix = defaultProfilePrefix(`b${batch}`);
  const pool = new InstancePool({
    modelPath, instances: 1, seed: 1,
    sessionOptions: ortOptionsJson({ threads: g.threads, provider: g.provider, spec: { ...g.sessionOptions, profile: true }, profileFilePrefix: prefix }),
  });
  try {
    await pool.init();
    await pool.prepare(batch, pins, 1, batchDims);
    for (let i = 0; i < runs; i++) await pool.runOnce(0, 0);
    await pool.endProfiling();
  } finally {
    await pool.close();
  }
  return readOpProfile(prefix);
}
