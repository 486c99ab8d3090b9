// `kneepoint report RUN_ID|PLAN_ID --format html|pdf|csv|json --out FILE`.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withContext } from '../context.ts';
import { buildReport, checkReportOptions } from '../../engine/report/exportReport.ts';

export function registerReport(program: Command): void {
  program.command('report <id>')
    .description('write a report of a run or a plan: self-contained HTML, PDF (A4/Letter, needs Chromium), CSV or JSON')
    .requiredOption('--format <format>', 'html | pdf | csv | json')
    .requiredOption('--out <file>', 'output file')
    .option('--paper <paper>', 'PDF paper size: a4 | letter', 'a4')
    .option('--csv-style <style>', 'CSV columns: kneepoint (documented in docs/csv.md) | perf_analyzer')
    .action(async (id: string, o: { format: string; out: string; paper: string; csvStyle?: string }, cmd: Command) => withContext(cmd, async (ctx) => {
      const opts = checkReportOptions(o);
      const file = await buildReport(ctx.store, id, opts);
      writeFileSync(o.out, file.bytes);
      console.error(`kneepoint: wrote ${resolve(o.out)} (${opts.format}${opts.format === 'pdf' ? `, ${opts.paper}` : ''}, ${file.bytes.length} bytes)`);
    }));
}
