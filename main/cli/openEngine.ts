// Opening the engine for one CLI command (in-process; closed when the command ends). Commands are
// clients of the API contract (withApi: the same KneepointApi the web host and Electron relay to);
// withContext is for the few commands whose job is not in the contract yet (targets, gate, validate,
// plan --sweep, models add-variant).
import type { Command } from 'commander';
import { createContext } from '../engine/engine.ts';
import type { EngineContext } from '../engine/engineContext.ts';
import { createEngine, type Engine } from '../engine/api.ts';
import type { ApiEvents, JobProgress, JobRef } from '../common/api.ts';
import type { PointResult, SweepRunResult } from '../common/types.ts';

export interface GlobalOpts { db?: string; json?: boolean }

export function globals(cmd: Command): GlobalOpts {
  return cmd.optsWithGlobals() as GlobalOpts;
}

/** Commands that never write the database: they open it read-only (and work in a read-only folder). */
const READ_ONLY_COMMANDS = new Set(['runs', 'show', 'export', 'best', 'info', 'models', 'models inspect', 'plans', 'report', 'gate', 'predict', 'targets list']);

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export async function withContext<T>(cmd: Command, fn: (ctx: EngineContext) => Promise<T>): Promise<T> {
  const g = globals(cmd);
  const ctx = await createContext({ dbPath: g.db, readOnly: READ_ONLY_COMMANDS.has(commandPath(cmd)) });
  try {
    return await fn(ctx);
  } finally {
    ctx.store.close();
  }
}

/** The in-process engine, as a KneepointApi (plus close), for one command. */
export async function withApi<T>(cmd: Command, fn: (api: Engine) => Promise<T>): Promise<T> {
  const engine = await createEngine({ dbPath: globals(cmd).db, readOnly: READ_ONLY_COMMANDS.has(commandPath(cmd)) });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

export interface JobWatch {
  onProgress?: (p: JobProgress) => void;
  onPoint?: (p: PointResult) => void;
  /** the job started: its ids (for a cancel on Ctrl-C) */
  onStarted?: (ref: JobRef) => void;
}

/**
 * Runs one job on the command's engine and waits for it: `start` calls the API method, events are
 * forwarded (the command's engine runs only this job, so every event is its), the run is read back.
 */
export async function runJob(api: Engine, start: () => Promise<JobRef>, watch: JobWatch = {}): Promise<{ ref: JobRef; end: ApiEvents['job.finished']; run: SweepRunResult }> {
  const offs = [
    api.on('job.progress', (p) => watch.onProgress?.(p)),
    api.on('job.point', (e) => watch.onPoint?.(e.point)),
  ];
  try {
    const finished = new Promise<ApiEvents['job.finished']>((res) => offs.push(api.on('job.finished', res)));
    const ref = await start();
    watch.onStarted?.(ref);
    const end = await finished;
    return { ref, end, run: await api.getRun({ runId: ref.runId }) };
  } finally {
    for (const off of offs) off();
  }
}
