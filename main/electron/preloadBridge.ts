// The preload's allowlist as a pure function: one exposed function per API method (each bound to
// its own IPC channel), `on` for the known event names only, and the native dialogs. ipcRenderer
// itself is never exposed. preload.ts passes Electron's ipcRenderer/webUtils in; tests pass fakes.
import { API_EVENTS, perApiMethod } from '../common/api.ts';
import type { ApiEventName, ApiEvents } from '../common/api.ts';
import { IPC_EVENT_CHANNEL, IPC_OPEN_DIALOG, IPC_SAVE_DIALOG, ipcChannel } from '../common/bridge.ts';
import type { BridgeReply, KneepointBridge } from '../common/bridge.ts';

export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}
export interface WebUtilsLike { getPathForFile(file: never): string }

/** Names the bridge exposes, besides one per API method. */
export const BRIDGE_EXTRAS = ['on', 'openFileDialog', 'saveFileDialog', 'pathForFile'] as const;

export function buildBridge(ipc: IpcLike, webUtils?: WebUtilsLike): KneepointBridge {
  // what comes back over IPC is the main process's envelope of the engine's reply
  const methods = perApiMethod((m) => (arg?: unknown) => ipc.invoke(ipcChannel(m), arg) as Promise<BridgeReply>);
  const listeners = new Map<ApiEventName, Set<(payload: unknown) => void>>();
  ipc.on(IPC_EVENT_CHANNEL, (_e, msg) => {
    const { event, payload } = (msg ?? {}) as { event?: ApiEventName; payload?: unknown };
    if (event && listeners.has(event)) for (const l of listeners.get(event)!) l(payload);
  });
  return {
    ...methods,
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      if (!(API_EVENTS as readonly string[]).includes(event)) throw new Error(`unknown event "${String(event)}"; known: ${API_EVENTS.join(', ')}`);
      if (typeof listener !== 'function') throw new Error('listener must be a function');
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (p: unknown) => void);
      return () => { set.delete(listener as (p: unknown) => void); };
    },
    openFileDialog: (opts: { title?: string; extensions?: string[] }) => ipc.invoke(IPC_OPEN_DIALOG, { title: String(opts?.title ?? ''), extensions: (opts?.extensions ?? []).map(String) }) as Promise<string[]>,
    saveFileDialog: (opts: { fileName: string; base64: string }) => ipc.invoke(IPC_SAVE_DIALOG, { fileName: String(opts.fileName), base64: String(opts.base64) }) as Promise<string | null>,
    pathForFile: (file: unknown) => (webUtils ? webUtils.getPathForFile(file as never) : ''),
  } satisfies KneepointBridge;
}
