// The size limit of importFile, shared by the page (which refuses a larger file before reading
// it) and the engine (which checks again). Pure: no node:, no DOM.

/** Largest file accepted (a run with thousands of points and histograms stays far below). */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** The error text for a file over the limit. */
export function importTooLargeMessage(fileName: string, bytes: number): string {
  return `${fileName} is ${bytes} bytes, over the ${MAX_IMPORT_BYTES}-byte import limit: is it really a Kneepoint export or a perf_analyzer CSV?`;
}
