// `kneepoint import FILE` and the importFile API: sniff the file, read it with the matching
// importer, store it atomically. Invalid or foreign files are refused with the reason; nothing
// partial is ever written.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Store } from '../store/store.ts';
import { invalidInput } from '../../common/errors.ts';
import { sniffFile } from './sniffFile.ts';
import { readKneepointJson } from './kneepointJson.ts';
import { readPerfAnalyzerCsv, type PerfAnalyzerOptions } from './perfAnalyzerCsv.ts';
import { writeImport, type ImportOutcome } from './writeImport.ts';
import type { ImportSource } from './importedRun.ts';

export type { PerfAnalyzerOptions, ImportOutcome };

/** Largest file accepted (a run with thousands of points and histograms stays far below). */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

export function importBytes(store: Store, fileName: string, bytes: Uint8Array, opts: PerfAnalyzerOptions = {}): ImportOutcome & { format: ImportSource['format'] } {
  const name = basename(fileName);
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw invalidInput(`${name} is ${bytes.length} bytes, over the ${MAX_IMPORT_BYTES}-byte import limit: is it really a Kneepoint export or a perf_analyzer CSV?`);
  }
  const { format, text } = sniffFile(name, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const bundle = format === 'json'
    ? readKneepointJson(text, { format: 'kneepoint-json', fileName: name, sha256 })
    : readPerfAnalyzerCsv(text, { format: 'perf_analyzer-csv', fileName: name, sha256 }, opts);
  return { ...writeImport(store, bundle), format: bundle.source.format };
}
