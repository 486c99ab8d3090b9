// Numbered schema migrations. PRAGMA user_version holds the number of applied migrations.
// Never edit a shipped migration: add a new one (tests open a copy of an old database).
import type Database from 'better-sqlite3';

export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE hardware (
        fingerprint TEXT PRIMARY KEY,
        info_json   TEXT NOT NULL,
        first_seen  TEXT NOT NULL
      );
      CREATE TABLE model (
        id         TEXT PRIMARY KEY,
        sha256     TEXT NOT NULL,
        path       TEXT NOT NULL,
        name       TEXT NOT NULL,
        source     TEXT NOT NULL,
        license    TEXT NOT NULL,
        info_json  TEXT NOT NULL,
        added_at   TEXT NOT NULL
      );
      CREATE TABLE run (
        id                   TEXT PRIMARY KEY,
        kind                 TEXT NOT NULL,
        name                 TEXT,
        tags_json            TEXT NOT NULL DEFAULT '[]',
        model_id             TEXT NOT NULL,
        model_json           TEXT NOT NULL,
        hardware_fingerprint TEXT,
        spec_json            TEXT NOT NULL,
        status               TEXT NOT NULL,
        error                TEXT,
        created_at           TEXT NOT NULL,
        finished_at          TEXT,
        versions_json        TEXT,
        result_json          TEXT,
        pid                  INTEGER,
        host                 TEXT
      );
      CREATE INDEX run_model ON run(model_id);
      CREATE TABLE point (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id      TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        config_key  TEXT NOT NULL,
        status      TEXT NOT NULL,
        stable      INTEGER NOT NULL,
        error       TEXT,
        result_json TEXT NOT NULL,
        histogram   TEXT,
        created_at  TEXT NOT NULL
      );
      CREATE UNIQUE INDEX point_run_config ON point(run_id, config_key);
      CREATE TABLE plan (
        id            TEXT PRIMARY KEY,
        run_id        TEXT REFERENCES run(id) ON DELETE CASCADE,
        workload_json TEXT NOT NULL,
        result_json   TEXT NOT NULL,
        created_at    TEXT NOT NULL
      );
      CREATE INDEX plan_run ON plan(run_id);
    `,
  },
  {
    // A user's own pre-converted file (e.g. a vendor int8 model) registered as a variant of a model.
    version: 2,
    sql: `
      CREATE TABLE custom_variant (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        model_sha256  TEXT NOT NULL,
        path          TEXT NOT NULL,
        sha256        TEXT NOT NULL,
        bytes         INTEGER NOT NULL,
        label         TEXT,
        added_at      TEXT NOT NULL,
        UNIQUE(model_sha256, sha256)
      );
    `,
  },
  {
    // Remote targets reached over ssh (URL and identity-file path only: never a password or key
    // contents), which target measured a run, and each target's share of a fanned-out run.
    version: 3,
    sql: `
      CREATE TABLE target (
        name           TEXT PRIMARY KEY,
        url            TEXT NOT NULL,
        identity_file  TEXT,
        remote_dir     TEXT NOT NULL,
        added_at       TEXT NOT NULL,
        last_test_json TEXT
      );
      ALTER TABLE run ADD COLUMN target TEXT;
      CREATE TABLE run_target_part (
        run_id        TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
        part          INTEGER NOT NULL,
        target        TEXT NOT NULL,
        spec_json     TEXT NOT NULL,
        remote_run_id TEXT,
        PRIMARY KEY (run_id, part)
      );
    `,
  },
  {
    // Each machine's measured roofs (peak FLOP/s, memory bandwidth) for the roofline, by fingerprint.
    version: 4,
    sql: `
      CREATE TABLE machine_peak (
        fingerprint TEXT PRIMARY KEY,
        peak_json   TEXT NOT NULL,
        measured_at TEXT NOT NULL
      );
    `,
  },
];

/** The schema version this Kneepoint writes; a file with a higher one came from a newer Kneepoint. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Apply pending migrations in one transaction each; returns the resulting schema version. */
export function migrate(db: Database.Database): number {
  let version = Number(db.pragma('user_version', { simple: true }));
  const latest = LATEST_SCHEMA_VERSION;
  if (version > latest) {
    throw new Error(`database schema version ${version} is newer than this Kneepoint (${latest}): upgrade Kneepoint or use another --db`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= version) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    version = m.version;
  }
  return version;
}
