// The API through the Electron preload bridge (`window.kneepoint`).
import type { ApiMethodName, KneepointApi } from '../../../main/common/api.ts';
import type { ApiArgs, ApiResult } from '../../../main/common/rpc.ts';
import type { KneepointBridge } from '../../../main/common/bridge.ts';
import { KneepointError } from '../../../main/common/errors.ts';
import { buildRelayApi } from '../../../main/common/rpc.ts';

export function electronBridge(): KneepointBridge | undefined {
  return (globalThis as { kneepoint?: KneepointBridge }).kneepoint;
}

export function createElectronApi(bridge: KneepointBridge): KneepointApi {
  // the bridge's reply carries the engine's result of `method`: typed as the contract states it
  return buildRelayApi(async <M extends ApiMethodName>(method: M, args: ApiArgs<M>) => {
    const reply = await bridge[method](args[0]);
    if (!reply.ok) throw new KneepointError(reply.error.kind, reply.error.message);
    return reply.result as ApiResult<M>;
  }, bridge.on);
}
