// `kneepoint import FILE`: a Kneepoint JSON export from another machine, or a Triton perf_analyzer CSV.
import type { Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { withApi, globals } from '../openEngine.ts';
import { printJson } from '../format.ts';
import { invalidInput } from '../../common/errors.ts';
import { precisionSchema, providerSchema } from '../../common/schemas.ts';

interface ImportFlags { model?: string; batch?: string; precision?: string; provider?: string; hardware?: string; name?: string }

export function registerImport(program: Command): void {
  program.command('import <file>')
    .description('import measurements: a Kneepoint JSON export (run or plan) from another machine, or a Triton perf_analyzer CSV')
    .option('--model <id>', 'perf_analyzer CSV: model id to file the run under (default perf_analyzer:<file name>)')
    .option('--batch <n>', 'perf_analyzer CSV: the batch size it ran with (its -b; not in the CSV)', '1')
    .option('--precision <p>', 'perf_analyzer CSV: model precision (fp32, fp16, int8 …)', 'fp32')
    .option('--provider <p>', 'perf_analyzer CSV: where it ran: cpu, cuda, tensorrt …', 'cpu')
    .option('--hardware <text>', 'perf_analyzer CSV: the machine it ran on, e.g. "g5.xlarge (A10G)"')
    .option('--name <name>', 'perf_analyzer CSV: a name for the run')
    .action(async (file: string, o: ImportFlags, cmd: Command) => withApi(cmd, async (api) => {
      const path = resolve(file);
      if (!existsSync(path)) throw invalidInput(`no file at ${path}`);
      if (statSync(path).isDirectory()) throw invalidInput(`${path} is a directory: give a .json or .csv file`);
      const batch = Number(o.batch);
      if (!Number.isInteger(batch) || batch < 1) throw invalidInput(`--batch must be a positive integer (got "${o.batch}")`);
      const precision = precisionSchema.safeParse(o.precision);
      if (!precision.success) throw invalidInput(`--precision must be one of ${precisionSchema.options.join(', ')} (got "${o.precision}")`);
      const provider = providerSchema.safeParse(o.provider);
      if (!provider.success) throw invalidInput(`--provider must be one of ${providerSchema.options.join(', ')} (got "${o.provider}")`);
      const r = await api.importFile({
        fileName: path, base64: readFileSync(path).toString('base64'),
        model: o.model, batch, precision: precision.data, provider: provider.data, hardware: o.hardware, name: o.name,
      });
      if (globals(cmd).json) return printJson(r);
      console.log(r.duplicate
        ? `already imported: run ${r.runId} (${r.points} points) is in the database; nothing written`
        : `imported ${r.format} as run ${r.runId} (${r.points} points)${r.planId ? ` with plan ${r.planId}` : ''}`);
    }));
}
