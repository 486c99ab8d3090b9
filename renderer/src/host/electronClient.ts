// The API through the Electron preload bridge (`window.kneepoint`).
import type { KneepointApi } from '../../../main/common/api.ts';
import type { KneepointBridge } from '../../../main/common/bridge.ts';
import { KneepointError } from '../../../main/common/errors.ts';
import { buildRelayApi } from '../../../main/common/rpc.ts';

export function electronBridge(): KneepointBridge | undefined {
  return (globalThis as { kneepoint?: KneepointBridge }).kneepoint;
}

export function createElectronApi(bridge: KneepointBridge): KneepointApi {
  return buildRelayApi(async (method, args) => {
    const reply = await bridge[method](args[0]);
    if (!reply.ok) throw new KneepointError(reply.error.kind, reply.error.message);
    return reply.result;
  }, bridge.on);
}
