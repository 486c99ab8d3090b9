// Shape of what the Electron preload exposes as `window.kneepoint`: one function per API method
// returning an envelope (errors cannot cross contextBridge with their `kind`), plus `on`.
import type { ApiErrorShape, ApiEventName, ApiEvents, ApiMethodName } from './api.ts';

export type BridgeReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorShape };

export type KneepointBridge = { [M in ApiMethodName]: (arg?: unknown) => Promise<BridgeReply> } & {
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** native open dialog (Electron only): returns chosen paths */
  openFileDialog(opts: { title?: string; extensions?: string[] }): Promise<string[]>;
  /** native save dialog (Electron only): writes base64 content, returns the path or null */
  saveFileDialog(opts: { fileName: string; base64: string }): Promise<string | null>;
  /** the absolute path of a dropped File (Electron's webUtils.getPathForFile) */
  pathForFile(file: unknown): string;
};

/** IPC channel of one API method; the main process accepts only these. */
export const ipcChannel = (method: ApiMethodName) => `kneepoint:api:${method}`;
export const IPC_EVENT_CHANNEL = 'kneepoint:event';
export const IPC_OPEN_DIALOG = 'kneepoint:dialog:open';
export const IPC_SAVE_DIALOG = 'kneepoint:dialog:save';
