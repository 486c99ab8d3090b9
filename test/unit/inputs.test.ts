import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectBatchDims, planInputs, synthesize } from '../../main/engine/measure/inputs.ts';
import { parseInputPins } from '../../main/cli/parseFlags.ts';
import type { TensorInfo } from '../../main/common/types.ts';

const silero: TensorInfo[] = [
  { name: 'input', type: 'float32', shape: ['batch', 'sequence'] },
  { name: 'sr', type: 'int64', shape: [] },
  { name: 'h', type: 'float32', shape: [2, 'batch', 64] },
  { name: 'c', type: 'float32', shape: [2, 'batch', 64] },
];

test('finds the batch dim by its shared name, also when it is not the first dim', () => {
  assert.deepEqual(detectBatchDims(silero, []), { input: 0, sr: null, h: 1, c: 1 });
});

test('plans Silero inputs with the sr pin and puts the batch where the model wants it', () => {
  const plan = planInputs(silero, [{ name: 'sr', value: 16000 }, { name: 'input', shape: ['N', 1536] }], 8);
  const byName = Object.fromEntries(plan.map((p) => [p.name, p]));
  assert.deepEqual(byName.input.shape, [8, 1536]);
  assert.deepEqual(byName.h.shape, [2, 8, 64]);
  assert.deepEqual(byName.sr.shape, []);
  const sr = synthesize(byName.sr, 1) as BigInt64Array;
  assert.equal(sr[0], 16000n);
});

test('integer ranges are inclusive and stay in range; same seed gives the same tensor', () => {
  const [p] = planInputs([{ name: 'ids', type: 'int64', shape: ['N', 16] }], [{ name: 'ids', range: [0, 9] }], 4);
  const a = synthesize(p, 7) as BigInt64Array;
  const b = synthesize(p, 7) as BigInt64Array;
  const c = synthesize(p, 8) as BigInt64Array;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const seen = new Set(Array.from(a, Number));
  assert.ok([...seen].every((v) => v >= 0 && v <= 9));
  assert.ok(seen.has(0) || seen.has(9) || seen.size > 5);
});

test('bad pins name the input and say how to fix them', () => {
  assert.throws(() => planInputs(silero, [{ name: 'audio', value: 1 }], 1), /no input named "audio".*input, sr, h, c/);
  assert.throws(() => planInputs(silero, [{ name: 'h', shape: [2, 'N'] }], 1), /shape has 2 dims.*has 3/);
  assert.throws(() => planInputs(silero, [{ name: 'h', shape: [3, 'N', 64] }], 1), /dim 0 is fixed at 2/);
  assert.throws(() => planInputs([{ name: 'x', type: 'float32', shape: [1, 3] }], [], 4), /fixed batch of 1/);
});

test('unpinned dynamic non-batch dims are guessed and reported', () => {
  const [p] = planInputs([{ name: 'x', type: 'float32', shape: ['N', 3, 'H', 'W'] }], [], 2);
  assert.deepEqual(p.shape, [2, 3, 32, 32]);
  assert.equal(p.guessed.length, 2);
});

test('CLI --input grammar: values, shapes, ranges and files merge per input', () => {
  const pins = parseInputPins(['sr=16000', 'x=shape:N,3,48,320', 'ids=range:0,30521', 'ids=shape:N,128', 'a=file:/tmp/a.json']);
  assert.deepEqual(pins, [
    { name: 'sr', value: 16000 },
    { name: 'x', shape: ['N', 3, 48, 320] },
    { name: 'ids', range: [0, 30521], shape: ['N', 128] },
    { name: 'a', file: '/tmp/a.json' },
  ]);
  assert.throws(() => parseInputPins(['nonsense']), /expected NAME=VALUE/);
  assert.throws(() => parseInputPins(['x=range:5,1']), /MIN <= MAX/);
});
