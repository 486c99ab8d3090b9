// Whether two machines are the same hardware class (a fanned-out grid is merged into one run only
// then): same CPU model and core counts, same GPUs, memory within 5 %. The OS build may differ.
import type { HardwareInfo } from '../../common/types.ts';

/** The differences that make `b` another hardware class than `a`, in words (empty: same class). */
export function hardwareClassDifferences(a: HardwareInfo, b: HardwareInfo): string[] {
  const out: string[] = [];
  if (a.cpu.model !== b.cpu.model) out.push(`CPU ${a.cpu.model} vs ${b.cpu.model}`);
  if (a.cpu.cores !== b.cpu.cores || a.cpu.physicalCores !== b.cpu.physicalCores) {
    out.push(`${a.cpu.cores} vs ${b.cpu.cores} logical cores (${a.cpu.physicalCores} vs ${b.cpu.physicalCores} physical)`);
  }
  const gpus = (h: HardwareInfo) => h.gpus.map((g) => g.model).sort().join(', ') || 'no GPU';
  if (gpus(a) !== gpus(b)) out.push(`GPUs ${gpus(a)} vs ${gpus(b)}`);
  const gib = (n: number) => `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (Math.abs(a.memoryBytes - b.memoryBytes) > 0.05 * Math.max(a.memoryBytes, b.memoryBytes)) out.push(`memory ${gib(a.memoryBytes)} vs ${gib(b.memoryBytes)}`);
  return out;
}
