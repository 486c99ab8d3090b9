// Defaults the graph itself dictates for inputs nobody pinned: an input compared with one constant
// where the result picks a branch (Silero's `sr` == 16000 → If) is fed that constant, since random
// values would measure the other branch; one whose value decides control flow without a single
// constant is refused until pinned; token ids feeding a Gather are drawn from 0 … rows-1 of its
// table. Each becomes a line of `models inspect` too.
import type { InputPin, TensorInfo } from '../../common/types.ts';
import type { InputRole } from '../onnx/inspect.ts';
import { mergePins } from '../measure/inputPins.ts';
import type { DerivedPin } from '../measure/inputs.ts';

export interface GraphDefaults {
  /** the explicit pins merged over the graph-derived ones (explicit win, input by input) */
  pins: InputPin[];
  warnings: string[];
}

const fixesValue = (p: InputPin | undefined) => p !== undefined && (p.value !== undefined || p.file !== undefined || p.range !== undefined);

export function graphDefaults(inputs: TensorInfo[], roles: Record<string, InputRole>, explicit: InputPin[]): GraphDefaults {
  const derived: DerivedPin[] = [];
  const warnings: string[] = [];
  for (const inp of inputs) {
    const role = roles[inp.name];
    if (!role) continue;
    const given = explicit.find((p) => p.name === inp.name);
    if (role.selects) {
      const { constants, via } = role.selects;
      if (fixesValue(given)) {
        warnings.push(`input ${inp.name} selects a branch (${via}); it is pinned to ${describePin(given!)}`);
      } else if (constants.length === 1) {
        derived.push({ name: inp.name, value: constants[0] });
        warnings.push(`input ${inp.name} selects a branch (${via} on ${inp.name} == ${constants[0]}): it is fed ${constants[0]}, the value the graph compares with, ` +
          `unless pinned (--input ${inp.name}=VALUE); random values would measure another branch`);
      } else {
        const what = constants.length ? `compares it with ${constants.join(', ')}` : 'uses it directly';
        const unpinnedError = `input ${inp.name} decides which computation runs (${via}; the graph ${what}): random values would measure an arbitrary branch. ` +
          `Pin it to the value used in production with --input ${inp.name}=VALUE (or under inputs: in the workload)`;
        derived.push({ name: inp.name, unpinnedError });
        warnings.push(`input ${inp.name} decides which computation runs (${via}; the graph ${what}): sweeps refuse it until it is pinned (--input ${inp.name}=VALUE)`);
      }
    }
    if (role.gatherRows !== undefined && /int/.test(inp.type) && !fixesValue(given) && !role.selects) {
      derived.push({ name: inp.name, range: [0, role.gatherRows - 1] });
    }
  }
  return { pins: mergePins(derived, explicit), warnings };
}

function describePin(p: InputPin): string {
  if (p.value !== undefined) return String(p.value);
  if (p.range) return `range ${p.range[0]}…${p.range[1]}`;
  return `file ${p.file}`;
}
