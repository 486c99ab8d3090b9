// Parsing of CLI flag values into the shared schemas' shapes (lists, input pins).
import type { InputPin } from '../common/types.ts';
import { invalidInput } from '../common/errors.ts';

/**
 * "1,2,4" → [1,2,4] (positive integers written as plain decimal digits). `1e3`, `0x10` or `1,,2`
 * are refused rather than read as 1000, 16 or 1,2: a typo must not silently change the sweep.
 */
export function intList(flag: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((s) => s.trim());
  const out = parts.map((s) => (/^[0-9]+$/.test(s) ? Number(s) : NaN));
  if (out.length === 0 || out.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw invalidInput(`${flag} takes a comma-separated list of positive integers, e.g. ${flag} 1,2,4 (got "${text}")`);
  }
  return out;
}

export function strList(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean);
}

export function num(flag: string, text: string | undefined, opts: { min?: number; integer?: boolean } = {}): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) {
    throw invalidInput(`${flag} must be ${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''} (got "${text}")`);
  }
  return n;
}

/**
 * `--input NAME=SPEC`, repeatable; SPEC is one of
 *   16000 (fixed value) · value:16000 · shape:N,3,48,320 · range:0,30521 · file:PATH
 * Several flags for the same input merge (e.g. a shape and a range).
 */
export function parseInputPins(specs: string[] | undefined): InputPin[] {
  const pins = new Map<string, InputPin>();
  for (const raw of specs ?? []) {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw invalidInput(`--input "${raw}": expected NAME=VALUE, NAME=shape:N,3,224,224, NAME=range:MIN,MAX or NAME=file:PATH`);
    const name = raw.slice(0, eq);
    const spec = raw.slice(eq + 1);
    const pin: InputPin = pins.get(name) ?? { name };
    const [kind, rest] = spec.includes(':') ? [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)] : ['', spec];
    const numbers = (s: string) => s.split(/[,x]/).map((d) => d.trim());
    if (kind === 'shape' || (kind === '' && /[,xN]/.test(spec) && !/^-?[\d.]+$/.test(spec))) {
      pin.shape = numbers(rest).map((d) => (d === 'N' || d === 'n' || d === '-1' ? 'N' : Number(d)));
      if (pin.shape.some((d) => d !== 'N' && (!Number.isInteger(d) || (d as number) < 1))) {
        throw invalidInput(`--input ${name}: shape "${rest}" must list positive integers, with N for the batch dim`);
      }
    } else if (kind === 'range') {
      const r = numbers(rest).map(Number);
      if (r.length !== 2 || r.some((v) => !Number.isFinite(v)) || r[0] > r[1]) throw invalidInput(`--input ${name}: range must be MIN,MAX with MIN <= MAX (got "${rest}")`);
      pin.range = [r[0], r[1]];
    } else if (kind === 'file') {
      pin.file = rest;
    } else if (kind === 'value' || kind === '') {
      const v = Number(rest);
      if (!Number.isFinite(v)) throw invalidInput(`--input ${name}: "${rest}" is not a number (use shape:, range: or file: for other pins)`);
      pin.value = v;
    } else {
      throw invalidInput(`--input ${name}: unknown pin kind "${kind}" (use value:, shape:, range: or file:)`);
    }
    pins.set(name, pin);
  }
  return [...pins.values()];
}
