// Commands built on the planner, open-loop load, reports and demos (registered as they land).
import type { Command } from 'commander';
import { registerReport } from './report.ts';
import { registerImport } from './import.ts';
import { registerDemo } from './demo.ts';
import { registerLoad } from './load.ts';
import { registerPredict } from './predict.ts';
import { registerValidate } from './validate.ts';
import { registerAgent } from './agent.ts';
import { registerTargets } from './targets.ts';
import { registerBest } from './best.ts';
import { registerGate } from './gate.ts';
import { registerDeploy } from './deploy.ts';
import { registerCapacity } from './capacity.ts';
import { registerRoofline } from './roofline.ts';

export function registerExtraCommands(program: Command): void {
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
}
