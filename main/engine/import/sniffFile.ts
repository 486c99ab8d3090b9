// First look at an uploaded file: refuse binary and foreign formats with a reason a person can
// act on, and say which importer should read the rest.
import { invalidInput } from '../../common/errors.ts';

const MAGIC: Array<[string, number[]]> = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['a ZIP archive (or .xlsx/.docx)', [0x50, 0x4b, 0x03, 0x04]],
  ['a gzip archive', [0x1f, 0x8b]],
  ['an SQLite database', [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65]],
];

export type SniffedFormat = 'json' | 'csv';

const EXPECTED = 'expected a Kneepoint JSON export (kneepoint report ID --format json) or a Triton perf_analyzer CSV (perf_analyzer -f FILE)';

/** Decodes the bytes as UTF-8 text and tells JSON from CSV; throws invalid-input for anything else. */
export function sniffFile(fileName: string, bytes: Uint8Array): { format: SniffedFormat; text: string } {
  if (bytes.length === 0) throw invalidInput(`${fileName} is empty; ${EXPECTED}`);
  for (const [what, magic] of MAGIC) {
    if (magic.every((b, i) => bytes[i] === b)) throw invalidInput(`${fileName} is ${what}, not something Kneepoint imports; ${EXPECTED}`);
  }
  if (/\.onnx$/i.test(fileName)) throw invalidInput(`${fileName} is a model, not measurements: add it with \`kneepoint models add ${fileName}\``);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidInput(`${fileName} is not UTF-8 text (a binary file?); ${EXPECTED}`);
  }
  if (text.includes('\u0000')) throw invalidInput(`${fileName} contains NUL bytes (a binary file?); ${EXPECTED}`);
  text = text.replace(/^\uFEFF/, '');
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') return { format: 'json', text };
  const header = text.split(/\r?\n/, 1)[0];
  if (header.includes(',')) return { format: 'csv', text };
  throw invalidInput(`${fileName} is neither JSON nor CSV (first line: "${header.slice(0, 60)}"); ${EXPECTED}`);
}
