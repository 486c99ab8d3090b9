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

/**
 * A KneepointApi whose methods all go through `call` (WebSocket, IPC, child process). The method
 * list is API_METHODS, so a method added to the contract is relayed without touching any host.
 */
export function buildRelayApi(call: (method: ApiMethodName, args: unknown[]) => Promise<unknown>, on: KneepointApi['on']): KneepointApi {
  const methods = {} as Record<ApiMethodName, (arg?: unknown) => Promise<unknown>>;
  for (const m of API_METHODS) methods[m] = (arg?: unknown) => call(m, arg === undefined ? [] : [arg]);
  return { ...(methods as unknown as Omit<KneepointApi, 'on'>), on } satisfies KneepointApi;
}
