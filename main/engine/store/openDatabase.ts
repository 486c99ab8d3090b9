// Opening the SQLite file behind the store, with the failures a person can act on turned into
// errors that name the file and say what to do: a file that is not a Kneepoint database (left as it
// is), a schema written by a newer Kneepoint (never migrated down), a folder that cannot be written.
// Commands that only read open the file read-only, so they work where nothing can be written.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KneepointError, invalidInput } from '../../common/errors.ts';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations.ts';

export interface OpenDatabaseOptions {
  /** open without writing anything (no file created, no migration on disk, no WAL switch) */
  readOnly?: boolean;
}

const WHAT_TO_DO_DB = 'point --db (or KNEEPOINT_DB) at another file, or move this one away to start a fresh database here';

function sqliteCode(err: unknown): string | undefined {
  return (err as { code?: unknown })?.code as string | undefined;
}

function notADatabase(path: string, detail: string): KneepointError {
  return invalidInput(`${path} is not a Kneepoint database (${detail}); it was left untouched: ${WHAT_TO_DO_DB}`);
}

function schemaAhead(path: string, version: number): KneepointError {
  return invalidInput(`${path} was written by a newer Kneepoint (database schema version ${version}; this Kneepoint knows up to ${LATEST_SCHEMA_VERSION}); ` +
    'it was left untouched (never migrated down): upgrade Kneepoint, or point --db (or KNEEPOINT_DB) at another file');
}

/** Why this process cannot write at `path` (a read-only file system, or no permission), or undefined. */
export function writeProblem(path: string): string | undefined {
  const dir = dirname(path);
  const check = (p: string, what: string): string | undefined => {
    try { accessSync(p, constants.W_OK); return undefined; } catch (e) {
      const code = sqliteCode(e);
      if (code === 'EROFS') return `${what} ${p} is on a read-only file system`;
      if (code === 'EACCES' || code === 'EPERM') return `${what} ${p} is not writable by this user (permission denied)`;
      return undefined;
    }
  };
  // SQLite writes its -wal and -shm files next to the database, so the folder must be writable too
  return (existsSync(path) ? check(path, 'the database file') : undefined) ?? (existsSync(dir) ? check(dir, 'its folder') : undefined);
}

function cannotWrite(path: string, problem: string): KneepointError {
  return invalidInput(`cannot write the Kneepoint database ${path}: ${problem}. ` +
    'Point --db (or KNEEPOINT_DB) at a writable place, or fix the permissions; commands that only read (runs, show, report, models inspect …) still work here');
}

/** Header check and schema version, before anything is written; the handle is closed on failure. */
function checkHeader(db: Database.Database, path: string): number {
  let version: number;
  try {
    version = Number(db.pragma('user_version', { simple: true }));
    if (version === 0) {
      // an SQLite file of some other program: tables, but none of ours and no schema version
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>).map((t) => t.name);
      if (tables.length > 0) throw notADatabase(path, `an SQLite database of another program, with tables ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ' …' : ''}`);
    }
  } catch (err) {
    db.close();
    if (err instanceof KneepointError) throw err;
    if (sqliteCode(err) === 'SQLITE_NOTADB') throw notADatabase(path, 'SQLite says: file is not a database');
    throw err;
  }
  if (version > LATEST_SCHEMA_VERSION) { db.close(); throw schemaAhead(path, version); }
  return version;
}

function applyPragmas(db: Database.Database, readOnly: boolean): void {
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * An in-memory copy of the file, for reading where SQLite cannot open it in place (a WAL database
 * in a folder where its -shm file cannot be created) or when its schema is older than ours (the
 * copy is migrated; the file is not). The header is switched to rollback mode in the copy only.
 */
function memorySnapshot(path: string): Database.Database {
  const bytes = readFileSync(path);
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) { bytes[18] = 1; bytes[19] = 1; }
  try {
    return new Database(bytes);
  } catch (err) {
    if (sqliteCode(err) === 'SQLITE_NOTADB') throw notADatabase(path, 'SQLite says: file is not a database');
    throw err;
  }
}

function openReadOnly(path: string): Database.Database {
  if (path === ':memory:' || !existsSync(path)) {
    // nothing stored yet: an empty store, and no file created by a command that only reads
    const db = new Database(':memory:');
    migrate(db);
    return db;
  }
  let db: Database.Database | undefined;
  let version: number;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    version = checkHeader(db, path);
  } catch (err) {
    if (err instanceof KneepointError) throw err;
    db?.close();
    if (sqliteCode(err) !== 'SQLITE_CANTOPEN' || existsSync(`${path}-wal`)) throw err;
    db = memorySnapshot(path);
    version = checkHeader(db, path);
  }
  if (version < LATEST_SCHEMA_VERSION) {
    db.close();
    if (writeProblem(path) === undefined) {
      // an older schema where we may write: migrate the file once (the next writing command would),
      // rather than copying a possibly large database into memory on every read
      openReadWrite(path).close();
      db = new Database(path, { readonly: true, fileMustExist: true });
    } else {
      db = memorySnapshot(path);
      migrate(db);
    }
  }
  applyPragmas(db, true);
  return db;
}

function openReadWrite(path: string): Database.Database {
  if (path === ':memory:') {
    const db = new Database(path);
    applyPragmas(db, false);
    migrate(db);
    return db;
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    const code = sqliteCode(err);
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') throw cannotWrite(path, `its folder ${dirname(path)} cannot be created (${code === 'EROFS' ? 'read-only file system' : 'permission denied'})`);
    throw err;
  }
  const problem = writeProblem(path);
  if (problem) throw cannotWrite(path, problem);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    if (sqliteCode(err) === 'SQLITE_CANTOPEN') throw cannotWrite(path, 'SQLite cannot open it for writing');
    throw err;
  }
  checkHeader(db, path);
  try {
    applyPragmas(db, false);
    migrate(db);
  } catch (err) {
    db.close();
    const code = sqliteCode(err);
    if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') throw cannotWrite(path, 'SQLite says it is read-only');
    if (code === 'SQLITE_FULL') throw new KneepointError('engine', `the disk holding ${path} is full: free some space and try again`);
    throw err;
  }
  return db;
}

export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): Database.Database {
  return opts.readOnly ? openReadOnly(path) : openReadWrite(path);
}

/**
 * A write that failed for a reason outside Kneepoint, in words: the disk is full, or the file is
 * read-only. `what` says what was being written and, where it helps, how to carry on.
 */
export function describeWriteError(err: unknown, path: string, what: string): unknown {
  const code = sqliteCode(err) ?? '';
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    const why = code === 'SQLITE_FULL' ? 'the disk holding it is full' : `the disk reported an I/O error (${code})`;
    return new KneepointError('engine', `could not write the Kneepoint database ${path} while ${what}: ${why}. ` +
      'Everything written before this is kept; free some space (or move the database with --db)');
  }
  if (code === 'SQLITE_READONLY') {
    return cannotWrite(path, `it was opened read-only or became read-only while ${what}`);
  }
  return err;
}
