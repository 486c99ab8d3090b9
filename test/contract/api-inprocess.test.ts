// The API contract against the in-process engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../main/engine/api.ts';
import { apiContractSuite } from './apiSuite.ts';

apiContractSuite('in-process engine', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kneepoint-contract-'));
  const engine = await createEngine({ dbPath: join(dir, 'kp.db'), dataDir: dir });
  return { api: engine, close: async () => { await engine.close(); rmSync(dir, { recursive: true, force: true }); } };
});
