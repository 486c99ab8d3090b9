// `kneepoint runs`, `kneepoint show RUN_ID`, `kneepoint export RUN_ID --format json|csv --out FILE`.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { withContext, globals } from '../context.ts';
import { printJson, table } from '../format.ts';
import { printRun } from './sweep.ts';
import { pointsToCsv } from '../../engine/report/pointsCsv.ts';
import { invalidInput } from '../../common/errors.ts';

export const RUN_JSON_SCHEMA_VERSION = 1;

export function registerRuns(program: Command): void {
  program.command('runs').description('list stored runs')
    .option('--model <id>', 'only runs of this model')
    .option('--kind <kind>', 'sweep | load | validate | import')
    .action(async (o: { model?: string; kind?: string }, cmd: Command) => withContext(cmd, async (ctx) => {
      const runs = ctx.store.listRuns(o);
      if (globals(cmd).json) return printJson(runs);
      if (!runs.length) { console.log('no runs yet: try `kneepoint sweep --model ocr-cls --batch 1,4`'); return; }
      console.log(table(['id', 'kind', 'model', 'status', 'created', 'points', 'name'],
        runs.map((r) => [r.id, r.kind, r.model, r.status, r.createdAt.replace('T', ' ').slice(0, 19), r.pointCount, r.name ?? ''])));
    }));
  program.command('show <runId>').description('show a run with all its points (same JSON shape as sweep)')
    .action(async (runId: string, _o, cmd: Command) => withContext(cmd, async (ctx) => {
      const r = ctx.store.getRunResult(runId);
      if (globals(cmd).json) return printJson(r);
      printRun(r);
    }));
  program.command('export <runId>').description('write a run as JSON (complete, with histograms) or CSV (one row per point)')
    .requiredOption('--format <format>', 'json | csv')
    .requiredOption('--out <file>', 'output file')
    .action(async (runId: string, o: { format: string; out: string }, cmd: Command) => withContext(cmd, async (ctx) => {
      if (o.format !== 'json' && o.format !== 'csv') throw invalidInput(`--format must be json or csv (got "${o.format}"); HTML/PDF reports: kneepoint report`);
      const r = ctx.store.getRunResult(runId);
      const text = o.format === 'json' ? JSON.stringify({ schemaVersion: RUN_JSON_SCHEMA_VERSION, kind: 'kneepoint.run', ...r }, null, 2) : pointsToCsv(r);
      writeFileSync(o.out, text);
      console.error(`kneepoint: wrote ${o.out} (${r.points.length} points)`);
    }));
}
