// The flags that say which model runs and how, shared by the commands that measure or predict a
// configuration (sweep, load, capacity, validate): the model, one configuration (instances,
// threads, precision, provider), input pins and the run's name, declared and parsed once so every
// command reads them the same way.
import type { Command } from 'commander';
import { num } from './parseFlags.ts';

export const MODEL_HELP = 'catalog id, added model id, or path to an .onnx file';

export interface ConfigFlags { instances: string; threads: string; precision: string; provider: string }

/** --instances, --threads, --precision, --provider for one configuration (defaults 1, 1, fp32, cpu). */
export function addConfigOptions(cmd: Command): Command {
  return cmd
    .option('--instances <k>', 'model instances (threads, one session each)', '1')
    .option('--threads <n>', 'intra-op threads per instance', '1')
    .option('--precision <p>', 'fp32 | fp16 | fp16-weights | int8 | int8-per-channel', 'fp32')
    .option('--provider <p>', 'cpu | cuda | …', 'cpu');
}

/** The configuration flags as the schemas take them (a flag left out stays undefined). */
export function parseConfigFlags(o: Partial<ConfigFlags>) {
  return {
    instances: num('--instances', o.instances, { min: 1, integer: true }),
    threads: num('--threads', o.threads, { min: 1, integer: true }), precision: o.precision, provider: o.provider,
  };
}

/** --input (repeatable; several pins of one input merge in parseInputPins). */
export function addInputOption(cmd: Command): Command {
  return cmd.option('--input <pin>', 'pin an input: NAME=VALUE | NAME=shape:N,3,48,320 | NAME=range:MIN,MAX | NAME=file:PATH (repeatable)',
    (v: string, acc: string[]) => [...acc, v], [] as string[]);
}

/** --input and --name: what every command that stores a measured run takes last. */
export function addInputAndNameOptions(cmd: Command): Command {
  return addInputOption(cmd).option('--name <name>', 'a name for the run');
}
