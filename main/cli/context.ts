// Opening the engine for one CLI command (in-process; closed when the command ends).
import type { Command } from 'commander';
import { createContext } from '../engine/engine.ts';
import type { EngineContext } from '../engine/context.ts';

export interface GlobalOpts { db?: string; json?: boolean }

export function globals(cmd: Command): GlobalOpts {
  return cmd.optsWithGlobals() as GlobalOpts;
}

export async function withContext<T>(cmd: Command, fn: (ctx: EngineContext) => Promise<T>): Promise<T> {
  const g = globals(cmd);
  const ctx = await createContext({ dbPath: g.db });
  try {
    return await fn(ctx);
  } finally {
    ctx.store.close();
  }
}
