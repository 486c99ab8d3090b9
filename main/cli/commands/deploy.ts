// `kneepoint deploy PLAN_ID --format triton|kserve|k8s|ray-serve [--out DIR]`: serving configs from a
// stored plan, each value with its provenance in a comment, validated before they are written.
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withApi, globals } from '../openEngine.ts';
import { printJson } from '../format.ts';
import { DEPLOY_FORMATS, type DeployFormat } from '../../common/deployTypes.ts';

export function registerDeploy(program: Command): void {
  program.command('deploy <planId>').description('write deployable serving configs from a stored plan (plan --json prints its planId)')
    .requiredOption('--format <f>', DEPLOY_FORMATS.join(' | '))
    .option('--mode <m>', 'export this mode of the plan instead of its verdict (realtime | deferred | batch | hybrid)')
    .option('--out <dir>', 'write the files under this folder (default: print them on stdout)')
    .action(async (planId: string, o: { format: string; mode?: string; out?: string }, cmd: Command) => withApi(cmd, async (api) => {
      const r = await api.exportDeployment({ planId, format: o.format as DeployFormat, mode: o.mode as 'realtime' | undefined });
      if (o.out) {
        for (const f of r.files) {
          const path = join(o.out, f.name);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, f.text);
          console.error(`kneepoint: wrote ${path}`);
        }
      }
      if (globals(cmd).json) return printJson(r);
      if (!o.out) for (const f of r.files) process.stdout.write(`${r.files.length > 1 ? `# ---- ${f.name}\n` : ''}${f.text}`);
      for (const v of r.validated) console.error(`kneepoint: valid: ${v}`);
      for (const n of r.notes) console.error(`kneepoint: note: ${n}`);
    }));
}
