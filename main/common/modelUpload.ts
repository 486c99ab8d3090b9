// The upload form of addModel ({ fileName, base64 }): its size limit, shared by the page (which
// refuses a too-large file before reading it), the web host (whose WebSocket must carry the
// message) and the engine (which checks again). Pure: no node:, no DOM.

/**
 * 256 MiB. The file travels as one base64 string (4/3 of its size) through the WebSocket and the
 * engine process; JavaScript strings stop at about 512 M characters, so 512 MiB could not be
 * sent in one message at all. Larger models are added by path (the host runs on this machine).
 */
export const MAX_MODEL_UPLOAD_BYTES = 256 * 2 ** 20;

/** Largest WebSocket message the web host accepts: an upload at the limit plus its envelope. */
export const MAX_UPLOAD_MESSAGE_BYTES = Math.ceil((MAX_MODEL_UPLOAD_BYTES * 4) / 3) + 2 ** 20;

/** Bytes a base64 text decodes to (without decoding it). */
export function base64DecodedBytes(base64: string): number {
  const len = base64.length;
  if (len === 0) return 0;
  const pad = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((len * 3) / 4) - pad;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;

/** The error text for a file over the limit: what happened and the two ways that still work. */
export function uploadTooLargeMessage(fileName: string, bytes: number): string {
  return `${fileName} is ${mb(bytes)}; files added through the browser are limited to ${mb(MAX_MODEL_UPLOAD_BYTES)}. `
    + 'Type the file\'s full path on this machine in the path box and press Add, or run `kneepoint models add PATH`.';
}

/** A file name safe to write in the data dir: no folders, no odd characters, ends in .onnx. */
export function safeUploadName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 100) || 'model';
  return /\.onnx$/i.test(clean) ? clean : `${clean}.onnx`;
}
