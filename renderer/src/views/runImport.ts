// The Runs view's "Import runs" card: a Kneepoint JSON export (run or plan) from another machine or
// a Triton perf_analyzer CSV, by file picker or drag-and-drop, through importFile. perf_analyzer's
// CSV does not record the batch size, model, precision, provider or machine: the user says them
// here. The outcome stays on screen: the new run (linked), "already imported" (linked), or the
// engine's reason for refusing the file.
import type { ImportFileArgs, ImportFileResult } from '../../../main/common/api.ts';
import { importTooLargeMessage, MAX_IMPORT_BYTES } from '../../../main/common/importLimits.ts';
import { PRECISIONS, PROVIDERS } from '../../../main/common/types.ts';
import type { Precision, ProviderName } from '../../../main/common/types.ts';
import type { ViewContext } from '../viewContext.ts';
import { card, errorBox, h, toast } from '../dom.ts';
import { fileBase64, fileDrop } from '../fileDrop.ts';
import { bytes } from '../format.ts';

const FORMAT_LABEL: Record<NonNullable<ImportFileResult['format']>, string> = {
  'kneepoint-json': 'Kneepoint JSON export', 'perf_analyzer-csv': 'perf_analyzer CSV',
};

/** The card; `onImported` runs after a new run was stored (the list refreshes and marks it). */
export function runImportCard(ctx: ViewContext, onImported: (runId: string) => Promise<void>): HTMLElement {
  const status = h('div', { class: 'import-status', 'data-testid': 'run-import-status', 'aria-live': 'polite' });
  const runLink = (id: string) => h('a', { href: `#/runs/${encodeURIComponent(id)}`, 'data-testid': 'imported-run-link' }, id);

  // what a perf_analyzer CSV does not record (ignored for Kneepoint JSON, which carries all of it)
  const model = h('input', { type: 'text', class: 'input', placeholder: 'perf_analyzer:<file name>', 'aria-label': 'perf_analyzer model id', 'data-pa': 'model' });
  const batch = h('input', { type: 'number', class: 'input narrow', min: 1, step: 1, value: '1', 'aria-label': 'perf_analyzer batch size (its -b)', 'data-pa': 'batch' });
  const precision = h('select', { class: 'input', 'aria-label': 'perf_analyzer model precision', 'data-pa': 'precision' }, PRECISIONS.map((p) => h('option', { value: p }, p)));
  const provider = h('select', { class: 'input', 'aria-label': 'perf_analyzer execution provider', 'data-pa': 'provider' }, PROVIDERS.map((p) => h('option', { value: p }, p)));
  const hardware = h('input', { type: 'text', class: 'input wide', placeholder: 'e.g. g5.xlarge (A10G)', 'aria-label': 'perf_analyzer machine', 'data-pa': 'hardware' });
  const field = (label: string, el: HTMLElement, hint?: string) => h('label', { class: 'field' }, h('span', {}, label), el, hint ? h('span', { class: 'muted small' }, hint) : null);
  const paOptions = h('details', { class: 'pa-options' },
    h('summary', {}, 'For a perf_analyzer CSV: what its file does not record'),
    h('div', { class: 'form-grid' },
      field('model id', model, 'to plan with it, use this id in the workload'),
      field('batch size', batch, 'perf_analyzer -b'),
      field('precision', precision), field('provider', provider),
      field('machine', hardware, 'where perf_analyzer ran')));

  function paArgs(): Omit<ImportFileArgs, 'fileName' | 'base64'> | Error {
    const b = Number(batch.value || '1');
    if (!Number.isInteger(b) || b < 1) return new Error(`batch size must be a positive whole number (perf_analyzer's -b); got "${batch.value}"`);
    return {
      batch: b, precision: precision.value as Precision, provider: provider.value as ProviderName,
      ...(model.value.trim() ? { model: model.value.trim() } : {}),
      ...(hardware.value.trim() ? { hardware: hardware.value.trim() } : {}),
    };
  }

  const show = (state: 'importing' | 'imported' | 'duplicate' | 'error', ...children: Array<HTMLElement | string>) => {
    status.dataset.state = state;
    status.replaceChildren(...children);
  };

  async function importOne(f: File): Promise<void> {
    if (f.size > MAX_IMPORT_BYTES) return show('error', errorBox(new Error(importTooLargeMessage(f.name, f.size))));
    const isCsv = /\.csv$/i.test(f.name);
    const extra = isCsv ? paArgs() : {};
    if (extra instanceof Error) return show('error', errorBox(extra));
    show('importing', h('span', { class: 'muted small' }, `Importing ${f.name} (${bytes(f.size)})…`));
    try {
      const r = await ctx.api.importFile({ fileName: f.name, base64: await fileBase64(f), ...extra });
      const what = r.format ? FORMAT_LABEL[r.format] : 'file';
      const planLink = r.planId ? h('span', {}, ' with its plan ', h('a', { href: `#/plan?plan=${encodeURIComponent(r.planId)}` }, r.planId)) : '';
      if (r.duplicate) {
        show('duplicate', h('div', { class: 'notice small' }, `${f.name} was already imported: run `, runLink(r.runId), planLink, '. Nothing was written.'));
        toast(`${f.name}: already imported`);
      } else {
        show('imported', h('div', { class: 'notice good small' }, `Imported the ${what} ${f.name} as run `, runLink(r.runId),
          r.points !== undefined ? ` (${r.points} points)` : '', planLink, '.'));
        toast(`Imported ${f.name}`);
      }
      await onImported(r.runId);
    } catch (err) {
      // the engine says what is wrong with the file: keep it on screen (a toast would go away)
      show('error', errorBox(err));
    }
  }

  const { zone, input } = fileDrop({
    title: 'Drop a .json or .csv file here', accept: '.json,.csv,application/json,text/csv', inputId: 'run-import-file',
    ariaLabel: 'Drop a Kneepoint JSON export or a perf_analyzer CSV here, or choose one',
    onFile: (f) => void importOne(f),
  });
  return h('div', { class: 'run-import', 'data-testid': 'run-import' }, card('Import runs',
    h('p', { class: 'muted small' }, 'A Kneepoint JSON export (', h('code', {}, 'kneepoint report ID --format json'),
      ') from another machine, or a Triton perf_analyzer CSV (', h('code', {}, 'perf_analyzer -f FILE'),
      '). Importing the same file twice adds nothing. Same as ', h('code', {}, 'kneepoint import FILE'), '.'),
    zone, input, paOptions, status));
}
