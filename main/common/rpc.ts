// Wire format between a host (web host, Electron main) and the engine process, and between the
// renderer and its host (WebSocket, Electron IPC). Pure types plus tiny guards; no node:, no DOM.
import type { ApiErrorShape, ApiEventName, ApiMethodName, KneepointApi } from './api.ts';
import { API_EVENTS, API_METHODS } from './api.ts';

export interface RpcRequest { seq: number; method: ApiMethodName; args: unknown[] }
export type RpcReply =
  | { seq: number; result: unknown }
  | { seq: number; error: ApiErrorShape };
export interface RpcEvent { event: ApiEventName; payload: unknown }
/** sent once by the engine process when it is ready (or failed to start) */
export type RpcHello = { ready: true } | { fatal: ApiErrorShape };
export type RpcFromEngine = RpcReply | RpcEvent | RpcHello;

export function isApiMethod(m: unknown): m is ApiMethodName {
  return typeof m === 'string' && (API_METHODS as readonly string[]).includes(m);
}
export function isApiEvent(e: unknown): e is ApiEventName {
  return typeof e === 'string' && (API_EVENTS as readonly string[]).includes(e);
}

/** Validates the envelope of a request (not the arguments: the engine validates those). */
export function parseRpcRequest(msg: unknown): RpcRequest | null {
  if (!msg || typeof msg !== 'object') return null;
  const m = msg as Record<string, unknown>;
  if (typeof m.seq !== 'number' || !Number.isSafeInteger(m.seq) || !isApiMethod(m.method)) return null;
  const args = m.args === undefined ? [] : m.args;
  if (!Array.isArray(args) || args.length > 1) return null;
  return { seq: m.seq, method: m.method, args };
}

/** The arguments and the resolved result of one API method, as the contract states them. */
export type ApiArgs<M extends ApiMethodName> = Parameters<KneepointApi[M]>;
export type ApiResult<M extends ApiMethodName> = Awaited<ReturnType<KneepointApi[M]>>;

/**
 * A transport's one call: sends `method(args)` to the engine and resolves with its reply. The reply
 * is JSON from the engine, which implements the same contract, so the transport types it as the
 * method's result.
 */
export type ApiCall = <M extends ApiMethodName>(method: M, args: ApiArgs<M>) => Promise<ApiResult<M>>;

/** A transport that hands back the engine's reply as untyped JSON: typed as the contract's result. */
export function typedCall(untyped: (method: ApiMethodName, args: unknown[]) => Promise<unknown>): ApiCall {
  return <M extends ApiMethodName>(method: M, args: ApiArgs<M>) => untyped(method, args) as Promise<ApiResult<M>>;
}

/**
 * A KneepointApi whose methods all go through `call` (WebSocket, IPC, child process). Each method
 * is listed, so a method added to the contract is a compile error here until it is relayed.
 */
export function buildRelayApi(call: ApiCall, on: KneepointApi['on']): KneepointApi {
  const relay = <M extends ApiMethodName>(method: M) => (...args: ApiArgs<M>): Promise<ApiResult<M>> => call(method, args);
  return {
    getInfo: relay('getInfo'),
    listModels: relay('listModels'),
    inspectModel: relay('inspectModel'),
    addModel: relay('addModel'),
    startSweep: relay('startSweep'),
    startLoad: relay('startLoad'),
    startValidate: relay('startValidate'),
    cancelJob: relay('cancelJob'),
    listJobs: relay('listJobs'),
    listRuns: relay('listRuns'),
    getRun: relay('getRun'),
    updateRun: relay('updateRun'),
    deleteRun: relay('deleteRun'),
    plan: relay('plan'),
    listPlans: relay('listPlans'),
    getPlan: relay('getPlan'),
    listWorkloads: relay('listWorkloads'),
    predict: relay('predict'),
    bestConfig: relay('bestConfig'),
    exportDeployment: relay('exportDeployment'),
    roofline: relay('roofline'),
    exportReport: relay('exportReport'),
    importFile: relay('importFile'),
    listTargets: relay('listTargets'),
    on,
  } satisfies KneepointApi;
}

/**
 * Calls `method` on an implementation with arguments that arrived over a wire. The arguments are
 * not trusted: every engine method validates its argument with its schema (main/common/schemas.ts).
 */
export function invokeApiMethod(api: KneepointApi, method: ApiMethodName, args: unknown[]): Promise<unknown> {
  const fn: (...a: unknown[]) => Promise<unknown> = api[method] as (...a: unknown[]) => Promise<unknown>;
  return Promise.resolve().then(() => fn.apply(api, args));
}
