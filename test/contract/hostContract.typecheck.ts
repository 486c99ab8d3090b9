// Compile-time proof that the contract is enforced on every host: `npm run typecheck` fails if any
// line marked @ts-expect-error below stops being an error. Not a runtime test (nothing to run).
import type { KneepointApi } from '../../main/common/api.ts';
import type { KneepointBridge } from '../../main/common/bridge.ts';
import type { Engine } from '../../main/engine/api.ts';
import { buildRelayApi, typedCall } from '../../main/common/rpc.ts';
import { buildBridge } from '../../main/electron/preloadBridge.ts';

declare const engine: Engine;
declare const bridge: ReturnType<typeof buildBridge>;

// The in-process engine is a whole KneepointApi ...
export const inProcess: KneepointApi = engine;
// ... and one without a method is not.
const { listPlans: _dropped, ...engineWithoutListPlans } = engine;
// @ts-expect-error a host missing listPlans does not implement the contract
export const incomplete: KneepointApi = engineWithoutListPlans;

// The relay (WebSocket, IPC, child process) is a whole KneepointApi.
export const relayed: KneepointApi = buildRelayApi(typedCall(async () => null), engine.on);

// The Electron bridge: one function per method; one missing fails.
const { getRun: _alsoDropped, ...bridgeWithoutGetRun } = bridge;
// @ts-expect-error a preload bridge missing getRun is not a KneepointBridge
export const incompleteBridge: KneepointBridge = bridgeWithoutGetRun;

// A method's argument is the schema's input type: a wrong field type is refused.
// @ts-expect-error batch must be a list of numbers
void engine.startSweep({ model: 'mlp-small', batch: ['1'] });
// plan and predict return their real types, not unknown.
export const verdict: Promise<string> = engine.plan({ workload: {} }).then((p) => p.verdict);
export const p99: Promise<number> = engine.predict({ runId: 'r', rate: 10 }).then((p) => p.latencyMs.p99);
