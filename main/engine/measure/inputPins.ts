// The pins a measurement feeds: the catalog's defaults (e.g. Silero `sr`), overridden input by input
// by the user's. Sweeps, load runs and validation all merge with this one rule.
import type { InputPin } from '../../common/types.ts';

export function mergePins(defaults: InputPin[] | undefined, user: InputPin[]): InputPin[] {
  const out = new Map<string, InputPin>();
  for (const p of defaults ?? []) out.set(p.name, p);
  for (const p of user) out.set(p.name, { ...(out.get(p.name) ?? {}), ...p });
  return [...out.values()];
}
