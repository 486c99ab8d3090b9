// `kneepoint report RUN_ID|PLAN_ID --format html|pdf|csv|json --out FILE`.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withApi } from '../openEngine.ts';
import { checkReportOptions } from '../../engine/report/exportReport.ts';

export function registerReport(program: Command): void {
  program.command('report <id>')
    .description('write a report of a run or a plan: self-contained HTML, PDF (A4/Letter, needs Chromium), CSV or JSON')
    .requiredOption('--format <format>', 'html | pdf | csv | json')
    .requiredOption('--out <file>', 'output file')
    .option('--paper <paper>', 'PDF paper size: a4 | letter', 'a4')
    .option('--csv-style <style>', 'CSV columns: kneepoint (documented in docs/csv.md) | perf_analyzer')
    .action(async (id: string, o: { format: string; out: string; paper: string; csvStyle?: string }, cmd: Command) => withApi(cmd, async (api) => {
      const opts = checkReportOptions(o);
      const file = await api.exportReport({ id, format: opts.format, paper: opts.paper, ...(o.csvStyle ? { csvStyle: o.csvStyle } : {}) });
      const bytes = Buffer.from(file.base64, 'base64');
      writeFileSync(o.out, bytes);
      console.error(`kneepoint: wrote ${resolve(o.out)} (${opts.format}${opts.format === 'pdf' ? `, ${opts.paper}` : ''}, ${bytes.length} bytes)`);
    }));
}
