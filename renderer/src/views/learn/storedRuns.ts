// The scenario's measurements already made on this machine ("Run it for real" stores each as a
// sweep named "learn SCENARIO: MEASUREMENT"): the index tiles and the walkthrough show those, not
// the bundled recording, after a scenario ran, even after leaving the view or reloading.
import type { Scenario } from '../../../../main/common/learn/types.ts';
import type { KneepointApi } from '../../../../main/common/api.ts';
import type { RunSummary, SweepRunResult } from '../../../../main/common/types.ts';

export const measurementRunName = (scenario: Scenario, measurementId: string) => `learn ${scenario.id}: ${measurementId}`;

/** The latest completed run of every measurement of `scenario`, or null when one is missing. */
export function latestMeasured(scenario: Scenario, runs: readonly RunSummary[]): { ids: Record<string, string>; at: string } | null {
  const ids: Record<string, string> = {};
  let at = '';
  for (const m of scenario.measurements) {
    const r = runs.filter((x) => x.name === measurementRunName(scenario, m.id) && x.status === 'completed').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (!r) return null;
    ids[m.id] = r.id;
    if (r.createdAt > at) at = r.createdAt;
  }
  return { ids, at };
}

export async function loadMeasured(api: KneepointApi, scenario: Scenario): Promise<{ runs: Record<string, SweepRunResult>; at: string } | null> {
  const found = latestMeasured(scenario, await api.listRuns().catch(() => []));
  if (!found) return null;
  const runs: Record<string, SweepRunResult> = {};
  for (const [id, runId] of Object.entries(found.ids)) {
    const r = await api.getRun({ runId }).catch(() => null);
    if (!r) return null;
    runs[id] = r;
  }
  return { runs, at: found.at };
}
