// Picks the API transport for where the UI runs: Electron preload, the web host's WebSocket, or
// the in-memory fake (#fake in the URL, for UI work without an engine).
import type { KneepointApi } from '../../../main/common/api.ts';
import type { KneepointBridge } from '../../../main/common/bridge.ts';
import { createElectronApi, electronBridge } from './electronClient.ts';
import { createFakeApi } from './fakeApi.ts';
import { createWsApi } from './wsClient.ts';
import type { ConnectionState } from './wsClient.ts';

export interface Host {
  api: KneepointApi;
  kind: 'electron' | 'web' | 'fake';
  bridge?: KneepointBridge;
}

export function pickHost(onState: (s: ConnectionState) => void): Host {
  const bridge = electronBridge();
  if (bridge) return { api: createElectronApi(bridge), kind: 'electron', bridge };
  if (new URLSearchParams(location.search).has('fake')) {
    const fake = createFakeApi();
    fake.seedRun({ model: 'mlp-tiny', batch: [1, 2, 4, 8, 16, 32], instances: [1, 2] }, 'mlp-tiny fp32');
    fake.seedRun({ model: 'mlp-tiny', batch: [1, 2, 4, 8, 16, 32], instances: [1, 2], precision: ['int8'] }, 'mlp-tiny int8');
    return { api: fake, kind: 'fake' };
  }
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  return { api: createWsApi(url, onState), kind: 'web' };
}
