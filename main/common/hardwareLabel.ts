// The machine a run was measured on, in a few words for lists and headers.
import type { HardwareInfo } from './types.ts';

/**
 * "CPU model (N cores) · GPU model". Imports that do not record the machine (perf_analyzer CSV)
 * carry the user's description as the CPU model with 0 cores: shown without a core count.
 */
export function hardwareLabel(hw: Pick<HardwareInfo, 'cpu' | 'gpus'>): string {
  const cpu = hw.cpu.cores > 0 ? `${hw.cpu.model} (${hw.cpu.cores} cores)` : hw.cpu.model;
  const gpus = (hw.gpus ?? []).map((g) => g.model).filter(Boolean);
  return gpus.length ? `${cpu} · ${[...new Set(gpus)].join(', ')}` : cpu;
}
