// `kneepoint models [inspect ID|PATH | add PATH]`: the catalog, inspection and user models.
import type { Command } from 'commander';
import { withApi, withContext, globals } from '../openEngine.ts';
import { addCustomVariant } from '../../engine/models/modelVariants.ts';
import type { ModelInfo } from '../../common/types.ts';
import { bytes, count, printJson, table } from '../format.ts';

const shape = (s: Array<number | string | null>) => `[${s.map((d) => d ?? '?').join(',')}]`;

function printModel(m: ModelInfo): void {
  console.log(`${m.id}  ${m.name}`);
  console.log(`  file     ${m.path} (${bytes(m.bytes)}, sha256 ${m.sha256.slice(0, 16)}…)`);
  console.log(`  source   ${m.source}, license ${m.license}`);
  console.log(`  opsets   ${m.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')}`);
  console.log(`  params   ${count(m.params)}${m.paramBytes ? ` (${bytes(m.paramBytes)})` : ''}; FLOPs/sample ${count(m.flopsPerSample)}; dynamic batch ${m.dynamicBatch ? 'yes' : 'no'}`);
  if (m.flopsPerSample === null && m.flopsNote) console.log(`  FLOPs    ${m.flopsNote}`);
  for (const w of m.warnings ?? []) console.log(`  warning  ${w}`);
  for (const i of m.inputs) console.log(`  input    ${i.name} ${i.type}${shape(i.shape)}${m.batchDims?.[i.name] != null ? ` (batch dim ${m.batchDims[i.name]})` : ''}`);
  for (const o of m.outputs) console.log(`  output   ${o.name} ${o.type}${shape(o.shape)}`);
  if (m.defaultPins?.length) console.log(`  pins     ${m.defaultPins.map((p) => `${p.name}=${p.value ?? ''}${p.shape ? `shape:${p.shape.join(',')}` : ''}${p.range ? ` range:${p.range.join(',')}` : ''}`).join('; ')}`);
  for (const v of m.variants ?? []) {
    console.log(`  variant  ${v.precision}${v.label ? ` (${v.label})` : ''}: ${bytes(v.bytes)}, FLOPs/sample ${count(v.flopsPerSample ?? null)}, ${v.path}`);
  }
  if (m.opHistogram) {
    const ops = Object.entries(m.opHistogram).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}×${v}`).join(' ');
    console.log(`  ops      ${ops}`);
  }
}

export function registerModels(program: Command): void {
  const models = program.command('models').description('list the model catalog (real npm-packaged models, generated families, your models)')
    .action(async (_o, cmd: Command) => withApi(cmd, async (api) => {
      const all = await api.listModels();
      if (globals(cmd).json) return printJson(all);
      console.log(table(['id', 'name', 'source', 'size', 'params', 'FLOPs/sample', 'batch'],
        all.map((m) => [m.id, m.name, m.source, bytes(m.bytes), count(m.params), count(m.flopsPerSample), m.dynamicBatch ? 'dynamic' : 'fixed'])));
    }));
  models.command('inspect <model>').description('inputs/outputs, opsets, ops, params and FLOPs of a catalog id or an .onnx path')
    .action(async (model: string, _o, cmd: Command) => withApi(cmd, async (api) => {
      const m = await api.inspectModel({ model });
      if (globals(cmd).json) return printJson(m);
      printModel(m);
    }));
  models.command('add-variant <model> <path>').description('register your own pre-converted file (e.g. a vendor int8 model) as the "custom" precision of a model')
    .option('--label <text>', 'what it is, e.g. "vendor int8 (static, calibrated)"')
    .action(async (model: string, path: string, o: { label?: string }, cmd: Command) => withContext(cmd, async (ctx) => {
      const base = await ctx.resolveModel(model);
      const v = await addCustomVariant(ctx, base, path, o.label);
      if (globals(cmd).json) return printJson(v);
      console.log(`registered ${v.path} as the custom variant of ${base.id} (${bytes(v.bytes)}); sweep it with --precision fp32,custom`);
    }));
  models.command('add <path>').description('register your own .onnx model (referenced in place, or copied with --copy)')
    .option('--copy', 'copy the file into the Kneepoint data directory')
    .option('--name <name>', 'display name')
    .action(async (path: string, o: { copy?: boolean; name?: string }, cmd: Command) => withApi(cmd, async (api) => {
      const m = await api.addModel({ path, copy: o.copy, name: o.name });
      if (globals(cmd).json) return printJson(m);
      console.log(`added ${m.id} (sha256 ${m.sha256.slice(0, 16)}…)`);
      printModel(m);
    }));
}
