// Where Kneepoint keeps its files: the OS's per-user data directory unless overridden.
import { homedir, platform } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository / install root (the folder holding package.json). */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Per-user data dir: KNEEPOINT_DATA_DIR, else XDG / Application Support / %APPDATA%. */
export function dataDir(): string {
  if (process.env.KNEEPOINT_DATA_DIR) return process.env.KNEEPOINT_DATA_DIR;
  const home = homedir();
  switch (platform()) {
    case 'darwin': return join(home, 'Library', 'Application Support', 'Kneepoint');
    case 'win32': return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Kneepoint');
    default: return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'kneepoint');
  }
}

/** The SQLite file: --db / KNEEPOINT_DB, else <dataDir>/kneepoint.db. */
export function defaultDbPath(): string {
  return process.env.KNEEPOINT_DB ?? join(dataDir(), 'kneepoint.db');
}
