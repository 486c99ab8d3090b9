// `kneepoint runs`, `kneepoint show RUN_ID`, `kneepoint export RUN_ID --format json|csv --out FILE`.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { withApi, globals } from '../openEngine.ts';
import { printJson, table } from '../format.ts';
import { printRun } from './sweep.ts';
import { printLoad } from './load.ts';
import { printValidation } from './validate.ts';
import { printCapacity } from './capacity.ts';
import type { CapacityResult } from '../../common/capacityTypes.ts';
import type { LoadResult, ValidationResult } from '../../common/loadTypes.ts';
import { invalidInput } from '../../common/errors.ts';

export function registerRuns(program: Command): void {
  program.command('runs').description('list stored runs')
    .option('--model <id>', 'only runs of this model')
    .option('--kind <kind>', 'sweep | load | validate | import | capacity')
    .action(async (o: { model?: string; kind?: string }, cmd: Command) => withApi(cmd, async (api) => {
      const runs = await api.listRuns({ model: o.model, kind: o.kind });
      if (globals(cmd).json) return printJson(runs);
      if (!runs.length) { console.log('no runs yet: try `kneepoint sweep --model ocr-cls --batch 1,4`'); return; }
      console.log(table(['id', 'kind', 'model', 'status', 'created', 'points', 'name'],
        runs.map((r) => [r.id, r.kind, r.model, r.status, r.createdAt.replace('T', ' ').slice(0, 19), r.pointCount, r.name ?? ''])));
    }));
  program.command('show <runId>').description('show a run with all its points (same JSON shape as sweep)')
    .action(async (runId: string, _o, cmd: Command) => withApi(cmd, async (api) => {
      const r = await api.getRun({ runId });
      if (globals(cmd).json) return printJson(r);
      const kind = (r as { kind?: string }).kind;
      const result = (r as { result?: unknown }).result;
      if (kind === 'load' && result) return printLoad(result as LoadResult);
      if (kind === 'validate' && result) return printValidation(result as ValidationResult);
      if (kind === 'capacity' && result) return printCapacity(result as CapacityResult);
      printRun(r);
    }));
  program.command('export <runId>').description('write a run as JSON (complete, with histograms) or CSV (one row per point); same files as `report --format json|csv`')
    .requiredOption('--format <format>', 'json | csv')
    .requiredOption('--out <file>', 'output file')
    .action(async (runId: string, o: { format: string; out: string }, cmd: Command) => withApi(cmd, async (api) => {
      if (o.format !== 'json' && o.format !== 'csv') throw invalidInput(`--format must be json or csv (got "${o.format}"); HTML/PDF reports: kneepoint report`);
      await api.getRun({ runId }); // a plan id or a typo gets "run … not found"
      const file = await api.exportReport({ id: runId, format: o.format });
      writeFileSync(o.out, Buffer.from(file.base64, 'base64'));
      console.error(`kneepoint: wrote ${o.out}`);
    }));
}
