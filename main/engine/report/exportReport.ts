// `report ID --format html|pdf|csv|json`: one entry point for the CLI, the API and the app.
import type { Store } from '../store/store.ts';
import { invalidInput } from '../../common/errors.ts';
import type { RooflineResult } from '../../common/roofline.ts';
import { loadReportSubject } from './reportSubject.ts';
import { renderReportHtml } from './reportHtml.ts';
import { htmlToPdf, PAPERS, type Paper } from './htmlToPdf.ts';
import { pointsToCsv, pointsToPerfAnalyzerCsv } from './pointsCsv.ts';
import { planDocument, runDocument, toJsonText } from './runDocument.ts';

export type ReportFormat = 'html' | 'pdf' | 'csv' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'pdf', 'csv', 'json'];
export type CsvStyle = 'kneepoint' | 'perf_analyzer';
export const CSV_STYLES: readonly CsvStyle[] = ['kneepoint', 'perf_analyzer'];

export interface ReportOptions {
  format: ReportFormat;
  paper?: Paper;
  csvStyle?: CsvStyle;
  /** prints HTML to PDF; default headless Chromium (the Electron main passes webContents.printToPDF) */
  printPdf?: (html: string, paper: Paper) => Promise<Uint8Array>;
  generatedAt?: string;
  /** the roofline of the report's run (HTML/PDF show it when given) */
  roofline?: (runId: string) => Promise<RooflineResult | null>;
}

export interface ReportFile {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
}

const MIME: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8', pdf: 'application/pdf', csv: 'text/csv; charset=utf-8', json: 'application/json',
};

/** Validates the options a person typed (CLI flags, API arguments). */
export function checkReportOptions(o: { format?: string; paper?: string; csvStyle?: string }): { format: ReportFormat; paper: Paper; csvStyle: CsvStyle } {
  if (!REPORT_FORMATS.includes(o.format as ReportFormat)) throw invalidInput(`--format must be one of ${REPORT_FORMATS.join(', ')} (got "${o.format ?? ''}")`);
  const paper = (o.paper ?? 'a4').toLowerCase();
  if (!PAPERS.includes(paper as Paper)) throw invalidInput(`--paper must be a4 or letter (got "${o.paper}")`);
  const csvStyle = (o.csvStyle ?? 'kneepoint').replace('-', '_');
  if (!CSV_STYLES.includes(csvStyle as CsvStyle)) throw invalidInput(`--csv-style must be kneepoint or perf_analyzer (got "${o.csvStyle}")`);
  if (o.csvStyle && o.format !== 'csv') throw invalidInput('--csv-style applies to --format csv only');
  return { format: o.format as ReportFormat, paper: paper as Paper, csvStyle: csvStyle as CsvStyle };
}

/** Builds the report of a run or a plan (by id) in the asked format. */
export async function buildReport(store: Store, id: string, opts: ReportOptions): Promise<ReportFile> {
  const subject = loadReportSubject(store, id);
  if (opts.roofline && (opts.format === 'html' || opts.format === 'pdf') && subject.run.points.length) subject.roofline = await opts.roofline(subject.run.runId);
  const base = `kneepoint-${subject.plan ? subject.plan.id : subject.run.runId}`;
  const text = (s: string) => new TextEncoder().encode(s);
  switch (opts.format) {
    case 'json': {
      const doc = subject.plan ? planDocument(store, subject.plan.id) : runDocument(store, subject.run.runId);
      return { fileName: `${base}.json`, mime: MIME.json, bytes: text(toJsonText(doc)) };
    }
    case 'csv': {
      const perf = opts.csvStyle === 'perf_analyzer';
      const csv = perf ? pointsToPerfAnalyzerCsv(subject.run) : pointsToCsv(subject.run);
      return { fileName: `${base}${perf ? '-perf_analyzer' : ''}.csv`, mime: MIME.csv, bytes: text(csv) };
    }
    case 'html':
      return { fileName: `${base}.html`, mime: MIME.html, bytes: text(renderReportHtml(subject, { generatedAt: opts.generatedAt })) };
    case 'pdf': {
      const html = renderReportHtml(subject, { generatedAt: opts.generatedAt });
      const paper = opts.paper ?? 'a4';
      const bytes = opts.printPdf ? await opts.printPdf(html, paper) : await htmlToPdf(html, { paper });
      return { fileName: `${base}.pdf`, mime: MIME.pdf, bytes };
    }
    default:
      throw invalidInput(`unknown report format "${String(opts.format)}"`);
  }
}
