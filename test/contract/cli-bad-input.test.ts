// Bad input gets a clear, actionable error, exit code 2, and loses nothing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { json, runCli, tempDir, QUICK, ROOT } from '../helpers/cli.ts';
import { ELEM, encodeModel, graph, model, node, valueInfo } from '../../main/engine/onnx/protoBuild.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');

function dbContents(): string {
  const d = new Database(db, { readonly: true });
  try {
    const rows = ['run', 'point', 'model', 'plan'].map((t) => d.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all());
    return JSON.stringify(rows);
  } finally {
    d.close();
  }
}

let baseline = '';
before(async () => {
  // one real run so there is something to lose
  const r = await runCli(['--db', db, 'sweep', '--model', 'silero-vad', '--batch', '1', ...QUICK, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(json(r).points[0].status !== 'failed', true);
  baseline = dbContents();
  const real = readFileSync(join(ROOT, 'models', 'real', 'ocr-cls.onnx'));
  writeFileSync(join(dir, 'empty.onnx'), Buffer.alloc(0));
  writeFileSync(join(dir, 'random.onnx'), randomBytes(4096));
  writeFileSync(join(dir, 'truncated.onnx'), real.subarray(0, Math.floor(real.length / 2)));
  const unknownOp = model(graph({
    nodes: [node('FrobnicateTensor', ['x'], ['y'])],
    inputs: [valueInfo('x', ELEM.FLOAT, ['N', 4])], outputs: [valueInfo('y', ELEM.FLOAT, ['N', 4])],
  }), { opset: 17 });
  writeFileSync(join(dir, 'unknown-op.onnx'), encodeModel(unknownOp));
  // Silero by path has no catalog pins: random `sr` values are invalid for it.
  writeFileSync(join(dir, 'silero-by-path.onnx'), readFileSync(join(ROOT, 'models', 'real', 'silero-vad.onnx')));
});

const cases: Array<[string, string, RegExp]> = [
  ['an empty file', 'empty.onnx', /empty/i],
  ['random bytes', 'random.onnx', /not a valid ONNX model/i],
  ['a truncated model', 'truncated.onnx', /not a valid ONNX model|truncated/i],
  ['a model with an unknown op', 'unknown-op.onnx', /FrobnicateTensor/],
  ['a missing file', 'no-such-file.onnx', /no model .*no file at/i],
];

for (const [what, file, message] of cases) {
  test(`${what} gives a clear error and exit code 2; the database is unchanged and still opens`, async () => {
    const r = await runCli(['--db', db, 'sweep', '--model', join(dir, file), '--batch', '1', ...QUICK]);
    assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
    assert.equal(dbContents(), baseline);
  });
}

test('a model whose random inputs are invalid names the input and says how to pin it', async () => {
  const r = await runCli(['--db', db, 'sweep', '--model', join(dir, 'silero-by-path.onnx'), '--batch', '1', ...QUICK]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /sr int64\[\]/);
  assert.match(r.stderr, /--input NAME=VALUE/);
  assert.equal(dbContents(), baseline);
  // ...and pinning it as the message says makes the same file measurable
  const ok = await runCli(['--db', db, 'sweep', '--model', join(dir, 'silero-by-path.onnx'), '--batch', '1', '--input', 'sr=16000',
    '--input', 'input=shape:N,512', ...QUICK, '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.notEqual(json(ok).points[0].status, 'failed');
});

test('an unavailable execution provider fails its points with the reason; the other points still run', async () => {
  const r = await runCli(['--db', db, 'sweep', '--model', 'mlp-tiny', '--batch', '1', '--provider', 'cpu,cuda', ...QUICK, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = json(r);
  const cuda = s.points.find((p: any) => p.config.provider === 'cuda');
  const cpu = s.points.find((p: any) => p.config.provider === 'cpu');
  assert.equal(cpu.status === 'failed', false);
  if (cuda.status === 'failed') assert.match(cuda.error, /cuda/i);
});
