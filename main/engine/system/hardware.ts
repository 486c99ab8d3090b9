// Hardware fingerprint of this machine (systeminformation). Cached per process: it does not change
// while we run, and systeminformation shells out on some platforms.
import si from 'systeminformation';
import { createHash } from 'node:crypto';
import { cpus, totalmem, platform, release, arch } from 'node:os';
import { readFileSync } from 'node:fs';
import type { HardwareInfo } from '../../common/types.ts';

let cached: Promise<HardwareInfo> | null = null;

export function hardwareFingerprint(hw: Omit<HardwareInfo, 'fingerprint'>): string {
  const key = JSON.stringify([hw.cpu.model, hw.cpu.cores, hw.cpu.physicalCores, hw.memoryBytes,
    hw.gpus.map((g) => g.model), hw.os]);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Power state where readable: AC/battery and the Linux CPU frequency governor (not part of the fingerprint). */
async function readPower(): Promise<string | undefined> {
  const parts: string[] = [];
  const battery = await si.battery().catch(() => null);
  if (battery?.hasBattery) parts.push(battery.acConnected ? 'on AC power' : `on battery (${battery.percent}%)`);
  try {
    parts.push(`governor ${readFileSync('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor', 'utf8').trim()}`);
  } catch { /* not Linux, or no cpufreq in this VM */ }
  return parts.length ? parts.join(', ') : undefined;
}

async function readHardware(): Promise<HardwareInfo> {
  const [cpu, mem, graphics, osInfo] = await Promise.all([
    si.cpu().catch(() => null),
    si.mem().catch(() => null),
    si.graphics().catch(() => null),
    si.osInfo().catch(() => null),
  ]);
  const nodeCpus = cpus();
  const hw: Omit<HardwareInfo, 'fingerprint'> = {
    cpu: {
      model: cpu ? `${cpu.manufacturer} ${cpu.brand}`.trim() : (nodeCpus[0]?.model ?? 'unknown'),
      cores: cpu?.cores ?? nodeCpus.length,
      physicalCores: cpu?.physicalCores ?? nodeCpus.length,
      speedGHz: cpu?.speed || (nodeCpus[0] ? nodeCpus[0].speed / 1000 : 0),
    },
    memoryBytes: mem?.total ?? totalmem(),
    gpus: (graphics?.controllers ?? [])
      .filter((c) => c.model && !/virtio|cirrus|vmware svga|bochs|llvmpipe/i.test(c.model))
      .map((c) => ({ model: c.model, vendor: c.vendor, ...(c.vram ? { vramBytes: c.vram * 1024 * 1024 } : {}) })),
    os: osInfo ? `${osInfo.distro} ${osInfo.release} (${osInfo.platform} ${osInfo.kernel} ${osInfo.arch})` : `${platform()} ${release()} ${arch()}`,
  };
  const power = await readPower();
  return { ...hw, fingerprint: hardwareFingerprint(hw), ...(power ? { power } : {}) };
}

export function getHardware(): Promise<HardwareInfo> {
  cached ??= readHardware();
  return cached;
}
