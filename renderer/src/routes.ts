// Hash routes (#/overview, #/runs/ID …): which view each route loads and the order of the nav.
import type { View } from './viewContext.ts';
import { overviewView } from './views/overview.ts';
import { modelsView } from './views/models.ts';
import { sweepView } from './views/sweep.ts';
import { runsView } from './views/runs.ts';
import { runDetailView } from './views/runDetail.ts';
import { compareView } from './views/compare.ts';
import { planView } from './views/plan.ts';
import { learnView } from './views/learn.ts';

export interface Route { path: string; title: string; nav: boolean; key?: string; load: () => Promise<View> | View }

export const ROUTES: Route[] = [
  { path: 'overview', title: 'Overview', nav: true, key: '1', load: () => overviewView },
  { path: 'models', title: 'Models', nav: true, key: '2', load: () => modelsView },
  { path: 'sweep', title: 'Sweep', nav: true, key: '3', load: () => sweepView },
  { path: 'runs', title: 'Runs', nav: true, key: '4', load: () => runsView },
  { path: 'compare', title: 'Compare', nav: true, key: '5', load: () => compareView },
  { path: 'plan', title: 'Plan', nav: true, key: '6', load: () => planView },
  { path: 'learn', title: 'Learn', nav: true, key: '7', load: () => learnView },
];

/** #/runs/ID is the run detail; everything else maps by its first segment. */
export function resolveRoute(hash: string): { route: Route; params: string[]; query: URLSearchParams; detail?: 'run' } {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart, queryPart = ''] = raw.split('?');
  const segs = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(queryPart);
  const first = segs[0] ?? 'overview';
  if (first === 'runs' && segs[1]) return { route: { path: 'runs', title: 'Run', nav: false, load: () => runDetailView }, params: segs.slice(1), query, detail: 'run' };
  const route = ROUTES.find((r) => r.path === first) ?? ROUTES[0];
  return { route, params: segs.slice(1), query };
}
