// What a careless or hostile user types or points the CLI at: each case exits 2 with a message
// that says where the problem is and what was expected, and nothing is measured or promised first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { runCli, tempDir, ROOT } from '../helpers/cli.ts';
import { MAX_WORKLOAD_BYTES } from '../../main/common/plan/workloadYaml.ts';

const dir = tempDir('kneepoint-hostile-cli-');
const db = join(dir, 'kp.db');

for (const batch of ['1e3', '1,,2', '0x10', '2.0', '1,2,']) {
  test(`sweep --batch ${batch} is refused like abc (exit 2, nothing measured)`, async () => {
    const r = await runCli(['--db', db, 'sweep', '--model', 'mlp-tiny', '--batch', batch, '--quick']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`--batch takes a comma-separated list of positive integers.*${batch.replace(/[.]/g, '\\.')}`));
    assert.doesNotMatch(r.stderr, /estimated|run [0-9a-f-]{8}/);
  });
}

test('sweep --model nope: the unknown model is reported before any duration estimate', async () => {
  const r = await runCli(['--db', db, 'sweep', '--model', 'nope', '--batch', '1,2']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /no model "nope"/);
  assert.doesNotMatch(r.stderr, /estimated/);
});

const realWorkload = readFileSync(join(ROOT, 'workloads', 'voice-vad.yaml'));

test('plan: a billion-laughs alias bomb exits 2 with file and line', async () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const file = join(dir, 'bomb.yaml');
  writeFileSync(file, lines.join('\n') + '\n');
  const r = await runCli(['--db', db, 'plan', '--workload', file]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:2: YAML: aliases expand to too much data`));
});

test('plan: a workload over the size limit is refused at once, naming the limit', async () => {
  const file = join(dir, 'huge.yaml');
  writeFileSync(file, Buffer.concat([realWorkload, Buffer.alloc(50 * 2 ** 20, '# padding\n')]));
  const r = await runCli(['--db', db, 'plan', '--workload', file]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`over the ${MAX_WORKLOAD_BYTES}-byte \\(1 MiB\\) limit for a workload file`));
});

test('plan: invalid UTF-8 in a workload is refused with its byte offset, not replaced', async () => {
  const file = join(dir, 'latin1.yaml');
  const text = realWorkload.toString('utf8');
  const at = text.indexOf('name:') + 'name: '.length;
  const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xe9]), Buffer.from(text.slice(at))]);
  writeFileSync(file, bytes);
  const r = await runCli(['--db', db, 'plan', '--workload', file]);
  assert.equal(r.code, 2, r.stderr);
  const offset = Buffer.byteLength(text.slice(0, at));
  const line = text.slice(0, at).split('\n').length;
  assert.match(r.stderr, new RegExp(`latin1\\.yaml:${line}: not valid UTF-8 at byte offset ${offset} \\(0xe9\\)`));
});

test('plan: a directory as --workload says a YAML file was expected', async () => {
  const folder = join(dir, 'workloads-folder');
  mkdirSync(folder, { recursive: true });
  const r = await runCli(['--db', db, 'plan', '--workload', folder]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /is a directory; --workload expects one workload YAML file/);
  assert.doesNotMatch(r.stderr, /EISDIR/);
});
