// Picks the API transport for where the UI runs: the Electron preload or the web host's WebSocket.
import type { KneepointApi } from '../../../main/common/api.ts';
import type { KneepointBridge } from '../../../main/common/bridge.ts';
import { createElectronApi, electronBridge } from './electronClient.ts';
import { createWsApi } from './wsClient.ts';
import type { ConnectionState } from './wsClient.ts';

export interface Host {
  api: KneepointApi;
  kind: 'electron' | 'web';
  bridge?: KneepointBridge;
}

export function pickHost(onState: (s: ConnectionState) => void): Host {
  const bridge = electronBridge();
  if (bridge) return { api: createElectronApi(bridge), kind: 'electron', bridge };
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  return { api: createWsApi(url, onState), kind: 'web' };
}
