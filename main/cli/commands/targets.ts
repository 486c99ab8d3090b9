// `kneepoint targets …`: remote machines reached over ssh, where sweeps can run (`sweep --target`).
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { withContext, globals } from '../openEngine.ts';
import { printJson, table } from '../format.ts';
import { invalidInput } from '../../common/errors.ts';
import { addTarget, getTarget, listTargets, recordTargetTest, removeTarget } from '../../engine/remote/targetStore.ts';
import { targetAddress } from '../../engine/remote/ssh.ts';
import { testTarget } from '../../engine/remote/targetTest.ts';
import { installOnTarget } from '../../engine/remote/install.ts';
import { hardwareLabel } from '../../common/hardwareLabel.ts';

export function registerTargets(program: Command): void {
  const targets = program.command('targets').description('remote machines (over ssh) to measure on: add, list, test, install, remove');

  targets.command('add <name> <url>').description('add (or change) a target: ssh://[user@]host[:port]; the system ssh client and your ~/.ssh/config are used')
    .option('--identity <file>', 'private key file to log in with (only its path is stored)')
    .option('--remote-dir <dir>', 'where Kneepoint lives on the remote (default ~/.kneepoint)')
    .action(async (name: string, url: string, o: { identity?: string; remoteDir?: string }, cmd: Command) => withContext(cmd, async (ctx) => {
      const identityFile = o.identity ? resolve(o.identity) : undefined;
      if (identityFile && !existsSync(identityFile)) throw invalidInput(`--identity ${o.identity}: no such file here (give the path of the private key on this machine)`);
      const t = addTarget(ctx.store, { name, url, identityFile, remoteDir: o.remoteDir });
      if (globals(cmd).json) return printJson(t);
      console.log(`target ${t.name}: ${targetAddress(t)}, remote dir ${t.remoteDir}${t.identityFile ? `, key ${t.identityFile}` : ''}`);
      console.log(`check it with \`kneepoint targets test ${t.name}\`; install Kneepoint there with \`kneepoint targets install ${t.name}\``);
    }));

  targets.command('list').description('the targets and what their last test found')
    .action(async (_o, cmd: Command) => withContext(cmd, async (ctx) => {
      const all = listTargets(ctx.store);
      if (globals(cmd).json) return printJson(all);
      if (!all.length) { console.log('no targets yet: add one with `kneepoint targets add NAME ssh://user@host`'); return; }
      console.log(table(['name', 'address', 'remote dir', 'last test'], all.map((t) => {
        const last = t.lastTest as { ok?: boolean; at?: string; error?: string; kneepointVersion?: string } | null;
        return [t.name, targetAddress(t), t.remoteDir, last ? `${last.ok ? 'ok' : 'FAILED'} ${last.at?.slice(0, 19).replace('T', ' ') ?? ''}` : 'never tested'];
      })));
    }));

  targets.command('test <name>').description('connect, start the agent there and report Kneepoint/Node versions, hardware and providers')
    .action(async (name: string, _o, cmd: Command) => withContext(cmd, async (ctx) => {
      const t = getTarget(ctx.store, name);
      const r = await testTarget(t, ctx.versions.kneepoint);
      recordTargetTest(ctx.store, name, { ok: r.ok, kneepointVersion: r.kneepointVersion, ...(r.error ? { error: r.error } : {}) });
      if (!r.ok) process.exitCode = 1;
      if (globals(cmd).json) return printJson(r);
      if (r.error && !r.hardware) { console.error(`kneepoint: ${r.error}`); return; }
      console.log(`target ${t.name} (${targetAddress(t)}): ${r.ok ? 'ok' : 'NOT READY'}`);
      console.log(`  Kneepoint ${r.kneepointVersion} (here ${ctx.versions.kneepoint}), Node ${r.node}, onnxruntime ${r.onnxruntime}`);
      if (r.hardware) console.log(`  hardware: ${hardwareLabel(r.hardware)} [${r.hardware.fingerprint}]`);
      console.log(`  providers: ${(r.providers ?? []).map((p) => `${p.name}${p.available ? '' : ' (unavailable)'}`).join(', ')}`);
      if (r.error) console.error(`kneepoint: ${r.error}`);
    }));

  targets.command('install <name>').description('install this Kneepoint version on the target (npm pack here, npm install there; brings Node 24)')
    .option('--registry <url>', 'npm registry the remote can reach (default: the remote\'s npm configuration)')
    .option('--cuda', 'let onnxruntime-node download its CUDA 12 provider there (GPU boxes)')
    .option('--tarball <file>', 'install this `npm pack` tarball instead of packing this install')
    .action(async (name: string, o: { registry?: string; cuda?: boolean; tarball?: string }, cmd: Command) => withContext(cmd, async (ctx) => {
      const t = getTarget(ctx.store, name);
      if (o.tarball && !existsSync(o.tarball)) throw invalidInput(`--tarball ${o.tarball}: no such file`);
      const r = await installOnTarget(t, { registry: o.registry, onnxruntimeInstall: o.cuda ? 'cuda12' : 'skip', tarball: o.tarball ? resolve(o.tarball) : undefined, log: (l) => console.error(`kneepoint: ${l}`) });
      if (globals(cmd).json) return printJson(r);
      console.log(`target ${t.name}: Kneepoint ${r.kneepoint} on Node ${r.node} installed under ${t.remoteDir}/app`);
    }));

  targets.command('remove <name>').description('forget a target (runs measured there keep their target name)')
    .action(async (name: string, _o, cmd: Command) => withContext(cmd, async (ctx) => {
      getTarget(ctx.store, name);
      removeTarget(ctx.store, name);
      if (globals(cmd).json) return printJson({ removed: name });
      console.log(`target ${name} removed`);
    }));
}
