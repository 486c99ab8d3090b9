// What `kneepoint deploy` hands back: files to write, the values they carry (for round-trip checks)
// and what the reader should know.
export type DeployFormat = 'triton' | 'kserve' | 'k8s' | 'ray-serve';
export const DEPLOY_FORMATS: readonly DeployFormat[] = ['triton', 'kserve', 'k8s', 'ray-serve'];

export interface DeployFile {
  /** relative path under --out */
  name: string;
  text: string;
}

export interface DeployResult {
  planId: string;
  format: DeployFormat;
  mode: string;
  variant: string;
  files: DeployFile[];
  /** every emitted value with its provenance, keyed by where it sits in the output */
  values: Record<string, { value: number | string; why: string }>;
  /** what each validator checked */
  validated: string[];
  notes: string[];
}

/** exportDeployment's arguments: a stored plan, the target format, optionally another feasible mode than the verdict */
export interface DeployArgs {
  planId: string;
  format: DeployFormat;
  mode?: 'realtime' | 'deferred' | 'batch' | 'hybrid';
}
