// What every view gets (the API, the host kind, navigation, cleanup on leaving the view) and the
// shape of a view.
import type { KneepointApi } from '../../main/common/api.ts';
import type { Host } from './host/host.ts';

export interface ViewContext {
  api: KneepointApi;
  host: Host;
  /** route params, e.g. #/runs/ID → ['ID'] */
  params: string[];
  /** query part of the hash route: #/compare?runs=a,b */
  query: URLSearchParams;
  navigate(hash: string): void;
  /** render the current view again (e.g. a live run finished and its final state is stored) */
  refresh(): void;
  /** called when the user leaves the view (unsubscribe events, destroy charts) */
  onLeave(fn: () => void): void;
}

export type View = (ctx: ViewContext) => Promise<HTMLElement> | HTMLElement;
