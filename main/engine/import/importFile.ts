// `kneepoint import FILE` and the importFile API: sniff the file, read it with the matching
// importer, store it atomically. Invalid or foreign files are refused with the reason; nothing
// partial is ever written.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Store } from '../store/store.ts';
import { invalidInput } from '../../common/errors.ts';
import { importTooLargeMessage, MAX_IMPORT_BYTES } from '../../common/importLimits.ts';
import { sniffFile } from './sniffFile.ts';
import { readKneepointJson } from './kneepointJson.ts';
import { readPerfAnalyzerCsv, type PerfAnalyzerOptions } from './perfAnalyzerCsv.ts';
import { writeImport, type ImportOutcome } from './writeImport.ts';
import type { ImportSource } from './importedRun.ts';

export type { PerfAnalyzerOptions, ImportOutcome };


export function importBytes(store: Store, fileName: string, bytes: Uint8Array, opts: PerfAnalyzerOptions = {}): ImportOutcome & { format: ImportSource['format'] } {
  const name = basename(fileName);
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw invalidInput(importTooLargeMessage(name, bytes.length));
  }
  const { format, text } = sniffFile(name, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const bundle = format === 'json'
    ? readKneepointJson(text, { format: 'kneepoint-json', fileName: name, sha256 })
    : readPerfAnalyzerCsv(text, { format: 'perf_analyzer-csv', fileName: name, sha256 }, opts);
  return { ...writeImport(store, bundle), format: bundle.source.format };
}
