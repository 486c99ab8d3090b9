// Machine noise measured next to a load test: CPU steal (from /proc/stat, Linux only) and GC
// pauses on the engine's main thread (PerformanceObserver 'gc'). The timer wake-up jitter probe is
// jitterWorker.ts.
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import type { GcSummary } from './protocol.ts';

export interface CpuTicks { total: number; steal: number; idle: number }

/** Aggregate CPU ticks from /proc/stat, or null where it is not readable (macOS, Windows, sandboxes). */
export function readCpuTicks(): CpuTicks | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu '));
    if (!line) return null;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
    const total = v.slice(0, 8).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
    return { total, steal: v[7] ?? 0, idle: (v[3] ?? 0) + (v[4] ?? 0) };
  } catch {
    return null;
  }
}

/** Share of CPU time stolen by the hypervisor between two readings, percent (null when unknown). */
export function stealPct(before: CpuTicks | null, after: CpuTicks | null): number | null {
  if (!before || !after) return null;
  const total = after.total - before.total;
  return total > 0 ? ((after.steal - before.steal) / total) * 100 : 0;
}

/** Busy share of all CPUs between two readings, percent (null when unknown). */
export function busyPct(before: CpuTicks | null, after: CpuTicks | null): number | null {
  if (!before || !after) return null;
  const total = after.total - before.total;
  return total > 0 ? (1 - (after.idle - before.idle) / total) * 100 : 0;
}

/** Collects GC pauses of this thread until stop() is called. */
export function observeGc(): { stop(): GcSummary } {
  const s: GcSummary = { count: 0, totalMs: 0, maxMs: 0 };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      s.count++;
      s.totalMs += e.duration;
      if (e.duration > s.maxMs) s.maxMs = e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return { stop() { obs.disconnect(); return { ...s }; } };
}

export function mergeGc(parts: GcSummary[]): GcSummary {
  return parts.reduce((a, b) => ({ count: a.count + b.count, totalMs: a.totalMs + b.totalMs, maxMs: Math.max(a.maxMs, b.maxMs) }),
    { count: 0, totalMs: 0, maxMs: 0 });
}
