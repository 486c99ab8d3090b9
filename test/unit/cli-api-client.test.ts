// The CLI is a client of the API contract: a command whose job the contract carries calls the
// in-process engine through KneepointApi (withApi), like the web host and Electron, and imports no
// engine internals. The allowlist names the few engine modules a command may still use, and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMANDS = join(fileURLToPath(new URL('../../main/cli/commands/', import.meta.url)));

/** engine modules a command may import besides the API; argParse validates flags with the shared schemas */
const ALLOWED: Record<string, { modules: string[]; why: string }> = {
  'sweep.ts': { modules: ['argParse.ts', 'remote/sweepWhere.ts'], why: '--per-target gives one run per target, which one job of the API does not' },
  'load.ts': { modules: ['argParse.ts'], why: 'flag validation' },
  'predict.ts': { modules: ['argParse.ts'], why: 'flag validation' },
  'report.ts': { modules: ['report/exportReport.ts'], why: 'flag validation in CLI words (checkReportOptions)' },
  'models.ts': { modules: ['models/modelVariants.ts'], why: 'add-variant is not in the contract' },
  'plan.ts': { modules: ['plan/planRun.ts'], why: 'plan reads the workload file next to its traces, and --sweep/--validate measure first' },
  'validate.ts': { modules: ['argParse.ts', 'remote/remoteJob.ts'], why: 'validate prints the engine\'s step-by-step log lines (figures per level), which the contract\'s progress events do not carry; here or on a --target' },
  'demo.ts': { modules: ['plan/planRun.ts'], why: 'demo --offline reads the shipped workloads without opening a database' },
  'targets.ts': { modules: ['remote/targetStore.ts', 'remote/ssh.ts', 'remote/targetTest.ts', 'remote/install.ts'], why: 'remote targets are this machine\'s configuration' },
  'agent.ts': { modules: ['remote/stdioRpc.ts'], why: 'the agent serves the API over stdio' },
  'gate.ts': { modules: ['gate/gateInput.ts', 'gate/compareRuns.ts', 'gate/gateReports.ts'], why: 'gate is not in the contract' },
  'capacity.ts': { modules: ['capacity/capacitySearch.ts'], why: 'the capacity search is not in the contract' },
};

test('CLI commands reach the engine through the API, apart from the listed exceptions', () => {
  const offenders: string[] = [];
  for (const file of readdirSync(COMMANDS).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(COMMANDS, file), 'utf8');
    const engineImports = [...text.matchAll(/from '(?:\.\.\/)+engine\/([^']+)'/g)].map((m) => m[1]);
    const allowed = ALLOWED[file]?.modules ?? [];
    for (const m of engineImports) if (!allowed.includes(m)) offenders.push(`${file} imports engine/${m}`);
  }
  assert.deepEqual(offenders, [], 'use withApi(cmd, api => …) and the KneepointApi method instead, or add the method to the contract');
});

test('the commands the contract carries open the engine as a KneepointApi', () => {
  for (const file of ['info.ts', 'models.ts', 'sweep.ts', 'runs.ts', 'predict.ts', 'import.ts', 'report.ts', 'load.ts', 'best.ts', 'demo.ts']) {
    assert.match(readFileSync(join(COMMANDS, file), 'utf8'), /withApi\(cmd, async \(api\)/, file);
  }
});
