// The pins a measurement feeds: the catalog's defaults (e.g. Silero `sr`), overridden input by input
// by the user's. Sweeps, load runs and validation all merge with this one rule.
import type { InputPin } from '../../common/types.ts';

export function mergePins(defaults: InputPin[] | undefined, user: InputPin[]): InputPin[] {
  const out = new Map<string, InputPin>();
  for (const p of defaults ?? []) out.set(p.name, p);
  for (const p of user) {
    const base: InputPin & { unpinnedError?: string } = { ...(out.get(p.name) ?? { name: p.name }) };
    // a value, range or file given by the user replaces whichever of the three the default had
    if (p.value !== undefined || p.range !== undefined || p.file !== undefined) {
      delete base.value; delete base.range; delete base.file; delete base.unpinnedError;
    }
    out.set(p.name, { ...base, ...p });
  }
  return [...out.values()];
}
