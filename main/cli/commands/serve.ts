// `kneepoint serve [--port N] [--no-open] [--db PATH]`: the UI in a browser via the web host.
import type { Command } from 'commander';
import { invalidInput } from '../../common/errors.ts';
import { startWebHost } from '../../web/server.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the Kneepoint UI on 127.0.0.1 (with a per-launch token) and open it in a browser')
    .option('--port <n>', 'port to listen on (default: a random free port)')
    .option('--no-open', 'do not open a browser; just print the URL')
    .option('--db <path>', 'SQLite database (default: KNEEPOINT_DB or the per-user data directory)')
    .action(async (o: { port?: string; open: boolean; db?: string }) => {
      const port = o.port === undefined ? 0 : Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidInput(`--port must be an integer 0-65535, got "${o.port}"`);
      const host = await startWebHost({ port, open: o.open, dbPath: o.db ?? process.env.KNEEPOINT_DB });
      console.log(host.url);
      console.error('kneepoint: serving the UI; press Ctrl-C to stop');
      await waitForStop(host.close);
    });
}

/** Resolves after Ctrl-C / SIGTERM once the host has shut down; a second Ctrl-C exits at once. */
export function waitForStop(close: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(130);
      stopping = true;
      void close().finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
