// The memory guard refuses a point's input tensors before the worker allocates them: a batch whose
// feeds are far beyond the worker's limit (16 TiB of Silero input) is refused with the sizes, in the
// plan-only prepare as in the real one, and the same worker then prepares a batch that fits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveBuiltin } from '../../main/engine/models/catalog.ts';
import { InstancePool, WorkerFailure } from '../../main/engine/measure/instancePool.ts';
import { feedLimitPerInstance } from '../../main/engine/measure/memoryGuard.ts';
import { mergePins } from '../../main/engine/measure/inputPins.ts';
import { ortOptionsJson } from '../../main/engine/measure/sessionOptions.ts';

test('feeds that would not fit are refused before they are allocated; the worker stays usable', async () => {
  const model = await resolveBuiltin('silero-vad');
  const pool = new InstancePool({ modelPath: model.path, instances: 1, seed: 1, sessionOptions: ortOptionsJson({ threads: 1, provider: 'cpu' }) });
  try {
    await pool.init();
    const limit = feedLimitPerInstance(1);
    // batch 4096 × 2^30 float32 samples = 16 TiB per rotation: no machine allocates that
    const huge = mergePins(model.defaultPins, [{ name: 'input', shape: ['N', 2 ** 30] }]);
    for (const planOnly of [true, false]) {
      const err = await pool.prepare(4096, huge, 4, model.batchDims, { planOnly, feedLimit: limit }).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof WorkerFailure, `planOnly=${planOnly}: expected a refusal, got ${String(err)}`);
      assert.equal(err.phase, 'memory');
      assert.match(err.message, /batch 4096 needs 65536\.\d\d GiB of input tensors per instance \(4 rotations\) but half the free memory \(.* GiB\) shared by 1 instance\(s\) allows .* GiB/);
    }
    assert.ok(pool.alive, 'the worker survived: nothing was allocated');
    const ok = await pool.prepare(2, model.defaultPins ?? [], 4, model.batchDims, { feedLimit: limit });
    assert.ok(ok.inputBytes > 0 && ok.inputBytes < limit.bytes);
    assert.ok(typeof ok.firstInferenceMs === 'number' && ok.firstInferenceMs > 0);
  } finally {
    await pool.close();
  }
});
