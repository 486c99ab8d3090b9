// `kneepoint info`: this machine, library versions and execution providers (each probed alone).
import type { Command } from 'commander';
import { withApi, globals } from '../openEngine.ts';
import { bytes, printJson, table } from '../format.ts';

export function registerInfo(program: Command): void {
  program.command('info').description('hardware fingerprint, versions and available execution providers')
    .action(async (_o, cmd: Command) => withApi(cmd, async (api) => {
      const info = await api.getInfo();
      if (globals(cmd).json) return printJson(info);
      const h = info.hardware;
      console.log(`CPU       ${h.cpu.model} (${h.cpu.cores} logical / ${h.cpu.physicalCores} physical cores${h.cpu.speedGHz > 0 ? `, ${h.cpu.speedGHz} GHz` : ', clock speed not reported'})`);
      console.log(`Memory    ${bytes(h.memoryBytes)}`);
      console.log(`GPU       ${h.gpus.length ? h.gpus.map((g) => g.model).join(', ') : 'none detected'}`);
      console.log(`OS        ${h.os}`);
      if (h.power) console.log(`Power     ${h.power}`);
      console.log(`Versions  node ${info.versions.node}, onnxruntime-node ${info.versions.onnxruntime}, kneepoint ${info.versions.kneepoint ?? '?'}`);
      console.log(`Hardware fingerprint ${h.fingerprint}\n`);
      console.log(table(['provider', 'available', 'why not'], info.providers.map((p) => [p.name, p.available ? 'yes' : 'no', p.reason ?? ''])));
    }));
}
