// The shipped workload files the scenarios plan: from the engine (listWorkloads) when it has them,
// else the copies bundled into the UI at build time (the fake host, an older engine).
import type { KneepointApi } from '../../../../main/common/api.ts';
import productPage from '../../../../workloads/product-page-recs.yaml' with { type: 'text' };
import weeklyChurn from '../../../../workloads/weekly-churn.yaml' with { type: 'text' };
import nightlyRecs from '../../../../workloads/nightly-recs.yaml' with { type: 'text' };
import medicalScans from '../../../../workloads/medical-scans.yaml' with { type: 'text' };
import voiceVad from '../../../../workloads/voice-vad.yaml' with { type: 'text' };
import interactive from '../../../../workloads/interactive-classifier.yaml' with { type: 'text' };

const BUNDLED: Record<string, string> = {
  'product-page-recs': productPage, 'weekly-churn': weeklyChurn, 'nightly-recs': nightlyRecs,
  'medical-scans': medicalScans, 'voice-vad': voiceVad, 'interactive-classifier': interactive,
};

let cached: Record<string, string> | null = null;

/** Workload YAML text by workload id (file name without .yaml). */
export async function workloadTexts(api: KneepointApi): Promise<Record<string, string>> {
  if (cached) return cached;
  const out = { ...BUNDLED };
  try {
    for (const w of await api.listWorkloads()) out[w.id] = w.yaml;
  } catch { /* the bundled copies are enough */ }
  cached = out;
  return out;
}
