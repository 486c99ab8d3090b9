// The project's seeded pseudo-random numbers: simulator, load-generator schedules, bootstrap
// resampling, synthesized model inputs and test data all draw from createRng. xoshiro128** (32-bit
// state words, so it stays in V8's fast integer paths) seeded through splitmix32; the same seed
// gives the same stream in Node and in the browser. mulberry32 is kept only for the generated
// model families' weights, whose bytes (and so their sha256, the models' identity in stored runs)
// must not change.

/** A uniform draw in [0, 1). */
export type Rng = () => number;

const TWO_POW_32 = 4294967296;

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Mixes a seed and a stream label into a new 32-bit seed (independent sub-streams from one seed). */
export function deriveSeed(seed: number, stream: number): number {
  const mix = splitmix32(((seed >>> 0) ^ Math.imul(stream + 1, 0x27d4eb2f)) >>> 0);
  mix();
  return mix();
}

/** Seeded xoshiro128** generator returning uniform draws in [0, 1) with 32-bit resolution. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`rng seed must be a finite number, got ${seed}`);
  const init = splitmix32(Math.floor(seed));
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  if ((a | b | c | d) === 0) a = 1;
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result / TWO_POW_32;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * mulberry32 uniform [0, 1): the generator the seeded model families' weights were built with.
 * Use createRng for anything else; this one exists so the generated .onnx bytes stay identical.
 */
export function mulberry32(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  };
}

/** Exponential draw with the given mean (inverse CDF; 1 − u keeps log away from 0). */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng());
}

/** Standard normal draw (Box–Muller, one value per call so no hidden state is kept). */
export function normal(rng: Rng): number {
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Gamma draw with the given shape and scale (mean = shape·scale), Marsaglia–Tsang.
 * Shapes below 1 use the boost gamma(shape) = gamma(shape + 1) · U^(1/shape).
 */
export function gamma(rng: Rng, shape: number, scale: number): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) {
    const boost = Math.pow(1 - rng(), 1 / shape);
    return gamma(rng, shape + 1, scale) * boost;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v * scale;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}
