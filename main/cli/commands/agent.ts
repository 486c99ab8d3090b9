// `kneepoint agent --stdio`: the engine headless, serving the API contract as newline-delimited
// JSON on stdin/stdout (a third transport beside the web host's WebSocket and Electron's IPC).
// A target runs it over ssh; stdout carries protocol only, everything else goes to stderr.
import type { Command } from 'commander';
import { join } from 'node:path';
import { globals } from '../openEngine.ts';
import { invalidInput, errorShape } from '../../common/errors.ts';
import { serveStdio } from '../../engine/remote/stdioRpc.ts';

export function registerAgent(program: Command): void {
  program.command('agent').description('serve the engine headless over stdin/stdout (newline-delimited JSON, the API contract): what a remote target runs')
    .option('--stdio', 'speak the contract on stdin/stdout (the only transport so far)')
    .option('--data-dir <dir>', 'data directory (models cache, variants, and kneepoint.db unless --db is given)')
    .action(async (o: { stdio?: boolean; dataDir?: string }, cmd: Command) => {
      if (!o.stdio) throw invalidInput('agent needs --stdio: it serves the API contract on stdin/stdout (e.g. `ssh HOST kneepoint agent --stdio`)');
      const writeOut = process.stdout.write.bind(process.stdout);
      // Anything printed by the engine or a library must not corrupt the protocol stream.
      console.log = console.error;
      console.info = console.error;
      console.warn = console.error;
      const stdoutGone = new Promise<void>((resolve) => process.stdout.on('error', () => resolve()));
      const g = globals(cmd);
      const { createEngine } = await import('../../engine/api.ts');
      let engine: Awaited<ReturnType<typeof createEngine>>;
      try {
        engine = await createEngine({ dbPath: g.db ?? (o.dataDir ? join(o.dataDir, 'kneepoint.db') : undefined), dataDir: o.dataDir });
      } catch (e) {
        writeOut(`${JSON.stringify({ fatal: errorShape(e) })}\n`);
        process.exitCode = 1;
        return;
      }
      try {
        await Promise.race([serveStdio(engine, process.stdin, (line) => { writeOut(line); }), stdoutGone]);
      } finally {
        // stdin closed (the connection ended): running jobs are cancelled, their finished points stay stored
        await engine.close();
      }
    });
}
