// `kneepoint deploy PLAN --format …` and the Plan view's Export deployment: render the plan's
// sizing in the chosen format and validate what was rendered before handing it out.
import { z } from 'zod';
import type { EngineContext } from '../engineContext.ts';
import { parseArgs } from '../argParse.ts';
import type { PlanMode } from '../../common/plan/types.ts';
import { invalidInput } from '../../common/errors.ts';
import { deploySizing } from './deploySizing.ts';
import { tritonConfig } from './triton.ts';
import { kubernetesFile, kubernetesObjects } from './kubernetes.ts';
import { kserveFile, kserveObject } from './kserve.ts';
import { rayServeConfig, rayServeFile } from './rayServe.ts';
import { validateDeployFiles } from './validateDeployment.ts';
import { DEPLOY_FORMATS, type DeployFormat, type DeployResult } from '../../common/deployTypes.ts';

const MODES: readonly PlanMode[] = ['realtime', 'deferred', 'batch', 'hybrid'];

const deployArgsSchema = z.object({ planId: z.string().min(1), format: z.string().min(1), mode: z.string().min(1).optional() }).strict();

export async function exportDeployment(ctx: EngineContext, argsIn: unknown): Promise<DeployResult> {
  const args = parseArgs(deployArgsSchema, argsIn, 'exportDeployment');
  if (!(DEPLOY_FORMATS as readonly string[]).includes(args.format)) throw invalidInput(`--format must be one of ${DEPLOY_FORMATS.join(', ')} (got "${args.format}")`);
  if (args.mode !== undefined && !(MODES as readonly string[]).includes(args.mode)) throw invalidInput(`--mode must be one of ${MODES.join(', ')} (got "${args.mode}")`);
  const format = args.format as DeployFormat;
  const s = await deploySizing(ctx, args.planId, args.mode as PlanMode | undefined);
  let r: Omit<DeployResult, 'validated' | 'planId' | 'format' | 'mode' | 'variant'>;
  if (format === 'triton') {
    const t = tritonConfig(s);
    r = { files: t.files, values: t.values, notes: [...s.notes, ...t.notes] };
  } else if (format === 'k8s') {
    const k = kubernetesObjects(s);
    r = { files: [kubernetesFile(s, k)], values: k.values, notes: [...s.notes, ...k.notes] };
  } else if (format === 'kserve') {
    const k = kserveObject(s);
    r = { files: [kserveFile(s, k)], values: k.values, notes: s.notes };
  } else {
    const c = rayServeConfig(s);
    r = { files: [rayServeFile(s, c)], values: c.values, notes: s.notes };
  }
  const validated = validateDeployFiles(format, r.files);
  return { planId: s.planId, format, mode: s.mode, variant: s.variant, ...r, validated };
}
