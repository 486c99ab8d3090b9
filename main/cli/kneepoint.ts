// The `kneepoint` command. Exit codes: 0 success, 2 bad usage or input (reason on stderr), 1 other failure.
import { Command, CommanderError } from 'commander';
import { KneepointError } from '../common/errors.ts';
import { registerInfo } from './commands/info.ts';
import { registerModels } from './commands/models.ts';
import { registerSweep } from './commands/sweep.ts';
import { registerRuns } from './commands/runs.ts';
import { registerServe } from './commands/serve.ts';
import { registerPlan } from './commands/plan.ts';
import { registerReport } from './commands/report.ts';
import { registerImport } from './commands/import.ts';
import { registerDemo } from './commands/demo.ts';
import { registerLoad } from './commands/load.ts';
import { registerPredict } from './commands/predict.ts';
import { registerValidate } from './commands/validate.ts';
import { registerAgent } from './commands/agent.ts';
import { registerTargets } from './commands/targets.ts';
import { registerBest } from './commands/best.ts';
import { registerGate } from './commands/gate.ts';
import { registerDeploy } from './commands/deploy.ts';
import { registerCapacity } from './commands/capacity.ts';
import { registerRoofline } from './commands/roofline.ts';

/** Every command is registered here, in the order `kneepoint --help` lists them. */
export function buildProgram(): Command {
  const program = new Command('kneepoint')
    .description('Measure ONNX models on this machine and turn the measurements into a costed serving decision.')
    .option('--db <path>', 'SQLite database (default: KNEEPOINT_DB or the per-user data directory)')
    .option('--json', 'machine-readable JSON on stdout')
    .showHelpAfterError('(run kneepoint --help for usage)')
    .exitOverride();
  registerInfo(program);
  registerModels(program);
  registerSweep(program);
  registerRuns(program);
  registerPlan(program);
  registerServe(program);
  registerReport(program);
  registerImport(program);
  registerDemo(program);
  registerLoad(program);
  registerPredict(program);
  registerValidate(program);
  registerAgent(program);
  registerTargets(program);
  registerBest(program);
  registerGate(program);
  registerDeploy(program);
  registerCapacity(program);
  registerRoofline(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return 0;
      return 2; // commander already printed the reason
    }
    const kind = e instanceof KneepointError ? e.kind : (e as { kind?: string }).kind;
    const msg = (e as Error).message ?? String(e);
    console.error(`kneepoint: ${msg}`);
    if (kind === 'invalid-input' || kind === 'not-found') return 2;
    if (process.env.KNEEPOINT_DEBUG) console.error((e as Error).stack);
    return 1;
  }
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  // Worker threads and the SQLite handle are closed by now; exit explicitly so a lingering
  // handle in a native library cannot keep the CLI alive.
  process.exit(code);
}
