// A newcomer's first command: `npx kneepoint …` from the repository under the system Node (20 on
// the CI machines) prints the command's output and no npm warnings (no unknown .npmrc keys, no
// engine mismatch: the launcher re-executes itself with the bundled Node 24).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT } from '../helpers/cli.ts';

// npm scripts put node_modules/.bin (Node 24) first on PATH: drop it to get what a person's shell has
const outsidePath = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.includes('node_modules')).join(delimiter);
const systemNpx = outsidePath.split(delimiter).map((d) => join(d, 'npx')).find((p) => existsSync(p));

test('.npmrc holds only settings npm knows (the onnxruntime skip flag lives in the environment)', () => {
  const keys = readFileSync(join(ROOT, '.npmrc'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.split('=')[0]);
  assert.deepEqual(keys.filter((k) => !['fund', 'audit', 'loglevel', 'engine-strict', 'save-exact'].includes(k)), []);
});

test('npx kneepoint --help under the system Node prints the usage and no npm warning', { skip: systemNpx ? false : 'no npx outside node_modules on PATH' }, () => {
  const r = spawnSync(systemNpx!, ['kneepoint', '--help'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH: outsidePath }, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Usage: kneepoint/);
  assert.doesNotMatch(r.stderr, /npm warn|EBADENGINE|Unknown project config/i, r.stderr);
});
