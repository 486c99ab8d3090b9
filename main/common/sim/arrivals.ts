// Arrival schedules: the same seeded generator feeds the simulator and the real open-loop load
// generator, so a prediction and a measured run with the same seed see identical arrival times.
import { invalidInput } from '../errors.ts';
import { createRng, exponential, gamma } from '../stats/rng.ts';
import type { ArrivalShape, ArrivalSpec } from './types.ts';

/** Returns the next arrival time in ms (from 0, non-decreasing) each time it is called. */
export type ArrivalStream = () => number;

/** Throws an actionable invalid-input error when the spec cannot produce a schedule. */
export function validateArrivalSpec(spec: ArrivalSpec): void {
  const rate = spec.ratePerSec;
  if (spec.kind !== 'trace' || rate !== undefined) {
    if (!(typeof rate === 'number' && Number.isFinite(rate) && rate > 0)) {
      throw invalidInput(`arrival rate must be a positive number of requests per second, got ${rate}`);
    }
  }
  switch (spec.kind) {
    case 'constant':
    case 'poisson':
      return;
    case 'gamma':
      if (!(Number.isFinite(spec.cv) && spec.cv >= 0)) {
        throw invalidInput(`gamma arrivals need a coefficient of variation >= 0 (1 = Poisson, >1 bursty), got ${spec.cv}`);
      }
      return;
    case 'onoff': {
      if (!(spec.onMs > 0 && spec.offMs > 0)) {
        throw invalidInput(`onoff arrivals need ON_MS > 0 and OFF_MS > 0, got ${spec.onMs}/${spec.offMs}`);
      }
      const maxFactor = (spec.onMs + spec.offMs) / spec.onMs;
      if (!(spec.highFactor >= 1 && spec.highFactor <= maxFactor * (1 + 1e-12))) {
        throw invalidInput(
          `onoff burst factor must be between 1 and (ON_MS+OFF_MS)/ON_MS = ${fmt(maxFactor)} so the mean rate ` +
            `is preserved (the off phase cannot go below zero), got ${spec.highFactor}`,
        );
      }
      return;
    }
    case 'trace': {
      const t = spec.arrivalsMs;
      if (!Array.isArray(t) || t.length < 2) {
        throw invalidInput(`a trace needs at least 2 arrival times (ms), got ${Array.isArray(t) ? t.length : 'none'}`);
      }
      for (let i = 0; i < t.length; i++) {
        if (!Number.isFinite(t[i])) throw invalidInput(`trace arrival #${i + 1} is not a number: ${t[i]}`);
      }
      const sorted = sortedCopy(t);
      if (!(sorted[sorted.length - 1] > sorted[0])) {
        throw invalidInput('a trace needs arrival times that span a positive duration (all times are equal)');
      }
      return;
    }
    default:
      throw invalidInput(`unknown arrival kind ${(spec as { kind: string }).kind}`);
  }
}

/** Mean offered rate of the spec in requests per second (a trace without a rate: its empirical rate). */
export function meanRatePerSec(spec: ArrivalSpec): number {
  if (spec.kind === 'trace' && spec.ratePerSec === undefined) {
    const s = sortedCopy(spec.arrivalsMs);
    return ((s.length - 1) / (s[s.length - 1] - s[0])) * 1000;
  }
  return spec.ratePerSec as number;
}

/** Gives an arrival shape (kind and its parameters) a mean rate. */
export function withRate(shape: ArrivalShape | ArrivalSpec, ratePerSec: number): ArrivalSpec {
  return { ...shape, ratePerSec } as ArrivalSpec;
}

/**
 * Creates the seeded arrival stream. Every generator is a stream, so a longer schedule with the
 * same seed starts with exactly the shorter one.
 *  - constant: arrivals at 0, 1/λ, 2/λ, …
 *  - poisson: exponential gaps with mean 1/λ
 *  - gamma: gamma gaps with mean 1/λ and shape 1/cv² (cv = 0 is constant)
 *  - onoff: Poisson at λ·highFactor for onMs, then at the rate that preserves the mean for offMs
 *    (fixed phase lengths, starting in the on phase)
 *  - trace: the recorded times shifted to start at 0, optionally rescaled to λ, replayed in a loop
 *    (period = span + mean gap) when more arrivals are asked for than the trace holds
 */
export function createArrivalStream(spec: ArrivalSpec, seed: number): ArrivalStream {
  validateArrivalSpec(spec);
  const rng = createRng(seed);
  let t = 0;
  switch (spec.kind) {
    case 'constant': {
      const gapMs = 1000 / spec.ratePerSec;
      let i = 0;
      return () => i++ * gapMs;
    }
    case 'poisson': {
      const gapMs = 1000 / spec.ratePerSec;
      return () => (t += exponential(rng, gapMs));
    }
    case 'gamma': {
      const gapMs = 1000 / spec.ratePerSec;
      if (spec.cv === 0) {
        let i = 0;
        return () => i++ * gapMs;
      }
      const shape = 1 / (spec.cv * spec.cv);
      const scale = gapMs / shape;
      return () => (t += gamma(rng, shape, scale));
    }
    case 'onoff': {
      const highPerMs = (spec.ratePerSec * spec.highFactor) / 1000;
      const lowPerMs = Math.max(0, (spec.ratePerSec * (spec.onMs + spec.offMs) - spec.ratePerSec * spec.highFactor * spec.onMs) / spec.offMs / 1000);
      let on = true;
      let phaseEndMs = spec.onMs;
      // Piecewise-constant-rate Poisson: spend a unit-rate exponential "budget" across phases.
      return () => {
        let budget = exponential(rng, 1);
        for (;;) {
          const ratePerMs = on ? highPerMs : lowPerMs;
          const capacity = ratePerMs * (phaseEndMs - t);
          if (budget < capacity) {
            t += budget / ratePerMs;
            return t;
          }
          budget -= capacity;
          t = phaseEndMs;
          on = !on;
          phaseEndMs += on ? spec.onMs : spec.offMs;
        }
      };
    }
    case 'trace': {
      const sorted = sortedCopy(spec.arrivalsMs);
      const n = sorted.length;
      const spanMs = sorted[n - 1] - sorted[0];
      const recordedPerMs = (n - 1) / spanMs;
      const factor = spec.ratePerSec === undefined ? 1 : recordedPerMs / (spec.ratePerSec / 1000);
      const times = new Float64Array(n);
      for (let i = 0; i < n; i++) times[i] = (sorted[i] - sorted[0]) * factor;
      const periodMs = (spanMs + spanMs / (n - 1)) * factor;
      let i = 0;
      let loopStartMs = 0;
      return () => {
        if (i === n) {
          i = 0;
          loopStartMs += periodMs;
        }
        return loopStartMs + times[i++];
      };
    }
  }
}

/** The first `count` arrival times (ms) of the seeded schedule. */
export function generateArrivalsMs(spec: ArrivalSpec, count: number, seed: number): Float64Array {
  if (!(Number.isInteger(count) && count >= 0)) throw invalidInput(`arrival count must be a whole number >= 0, got ${count}`);
  const next = createArrivalStream(spec, seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = next();
  return out;
}

/** All arrival times (ms) of the seeded schedule that fall before `durationMs`. */
export function generateArrivalsForDurationMs(spec: ArrivalSpec, durationMs: number, seed: number): Float64Array {
  if (!(Number.isFinite(durationMs) && durationMs >= 0)) throw invalidInput(`schedule duration must be >= 0 ms, got ${durationMs}`);
  const next = createArrivalStream(spec, seed);
  let out = new Float64Array(Math.max(16, Math.ceil((meanRatePerSec(spec) * durationMs) / 1000 * 1.1) + 16));
  let n = 0;
  for (;;) {
    const t = next();
    if (t >= durationMs) break;
    if (n === out.length) {
      const grown = new Float64Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = t;
  }
  return out.slice(0, n);
}

/**
 * Parses the `--arrival` grammar: constant | poisson | gamma:CV | onoff:ON_MS/OFF_MS[/FACTOR] |
 * trace:FILE. FACTOR defaults to (ON+OFF)/ON, i.e. all traffic in the on phase, silence in the off
 * phase. Reading a trace file is the caller's job (Node side): pass its times as `traceArrivalsMs`
 * (see parseTraceText); a trace is rescaled to `ratePerSec` when a rate is given.
 */
export function parseArrival(text: string, ratePerSec: number | undefined, traceArrivalsMs?: number[]): ArrivalSpec {
  const raw = text.trim();
  const colon = raw.indexOf(':');
  const kind = (colon < 0 ? raw : raw.slice(0, colon)).toLowerCase();
  const arg = colon < 0 ? '' : raw.slice(colon + 1);
  const grammar = 'constant | poisson | gamma:CV | onoff:ON_MS/OFF_MS[/FACTOR] | trace:FILE';
  const needRate = (): number => {
    if (ratePerSec === undefined || !(ratePerSec > 0)) {
      throw invalidInput(`--arrival ${raw} needs a positive --rate in requests per second, got ${ratePerSec}`);
    }
    return ratePerSec;
  };
  let spec: ArrivalSpec;
  switch (kind) {
    case 'constant':
    case 'poisson':
      if (arg) throw invalidInput(`--arrival ${kind} takes no parameter, got "${raw}"; expected ${grammar}`);
      spec = { kind, ratePerSec: needRate() };
      break;
    case 'gamma': {
      const cv = Number(arg);
      if (!arg || !Number.isFinite(cv)) throw invalidInput(`--arrival gamma needs a coefficient of variation, e.g. gamma:2, got "${raw}"`);
      spec = { kind, ratePerSec: needRate(), cv };
      break;
    }
    case 'onoff': {
      const parts = arg.split('/').map((p) => Number(p));
      if (parts.length < 2 || parts.length > 3 || parts.some((p) => !Number.isFinite(p))) {
        throw invalidInput(`--arrival onoff needs ON_MS/OFF_MS[/FACTOR], e.g. onoff:200/800/3, got "${raw}"`);
      }
      const [onMs, offMs] = parts;
      const highFactor = parts.length === 3 ? parts[2] : (onMs + offMs) / onMs;
      spec = { kind, ratePerSec: needRate(), onMs, offMs, highFactor };
      break;
    }
    case 'trace': {
      if (!traceArrivalsMs) {
        throw invalidInput(
          `--arrival trace:${arg || 'FILE'} needs the file's arrival times loaded first: read the file on the Node side ` +
            `and pass its times (parseTraceText) to parseArrival; the simulator does not read files`,
        );
      }
      spec = ratePerSec === undefined ? { kind, arrivalsMs: traceArrivalsMs } : { kind, arrivalsMs: traceArrivalsMs, ratePerSec };
      break;
    }
    default:
      throw invalidInput(`unknown --arrival "${raw}"; expected ${grammar}`);
  }
  validateArrivalSpec(spec);
  return spec;
}

/**
 * Parses a trace file's text: one arrival time in ms per line (the first column of CSV/TSV rows);
 * blank lines, `#` comments and a non-numeric header line are skipped.
 */
export function parseTraceText(text: string): number[] {
  const out: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const first = line.split(/[,;\t ]+/)[0];
    const v = Number(first);
    if (!Number.isFinite(v)) {
      if (out.length === 0 && i === lines.findIndex((l) => l.trim() && !l.trim().startsWith('#'))) continue;
      throw invalidInput(`trace line ${i + 1} is not an arrival time in ms: "${line}"`);
    }
    out.push(v);
  }
  return out;
}

/** The `--arrival` text for a spec (trace → "trace"). */
export function formatArrival(spec: ArrivalSpec | ArrivalShape): string {
  switch (spec.kind) {
    case 'gamma':
      return `gamma:${spec.cv}`;
    case 'onoff':
      return `onoff:${spec.onMs}/${spec.offMs}/${fmt(spec.highFactor)}`;
    default:
      return spec.kind;
  }
}

function sortedCopy(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function fmt(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}
