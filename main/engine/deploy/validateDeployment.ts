// Checks every emitted file by parsing it back and validating it against the target's schema:
// Kubernetes objects with kubernetes-models (the OpenAPI schemas of the Kubernetes API and of
// KEDA's CRDs), config.pbtxt with Triton's model-config messages, KServe and Ray Serve with the
// schemas below (no npm package carries theirs; the embedded Kubernetes types are still checked
// with kubernetes-models). A failure here is a bug in Kneepoint, reported as such.
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { parseTritonConfig } from './tritonSchema.ts';
import type { DeployFile, DeployFormat } from '../../common/deployTypes.ts';

type Validatable = { validate(): void };
const K8S_KINDS: Record<string, (data: never) => Validatable> = {
  'apps/v1/Deployment': (d) => new Deployment(d),
  'autoscaling/v2/HorizontalPodAutoscaler': (d) => new HorizontalPodAutoscaler(d),
  'batch/v1/CronJob': (d) => new CronJob(d),
  'keda.sh/v1alpha1/ScaledObject': (d) => new ScaledObject(d),
};

const int = z.number().int();
const quantity = z.union([z.string(), z.number()]);

/** KServe v1beta1 InferenceService, the fields Kneepoint emits (serving.kserve.io API reference). */
const inferenceServiceSchema = z.object({
  apiVersion: z.literal('serving.kserve.io/v1beta1'),
  kind: z.literal('InferenceService'),
  metadata: z.record(z.string(), z.unknown()),
  spec: z.object({
    predictor: z.object({
      minReplicas: int.min(0),
      maxReplicas: int.min(1),
      scaleMetric: z.enum(['cpu', 'memory', 'concurrency', 'rps']),
      scaleTarget: int.min(1),
      model: z.object({
        modelFormat: z.object({ name: z.string().min(1), version: z.string().optional() }).strict(),
        runtime: z.string().min(1).optional(),
        protocolVersion: z.enum(['v1', 'v2', 'grpc-v1', 'grpc-v2']).optional(),
        storageUri: z.string().regex(/^(pvc|s3|gs|https?|hdfs|webhdfs|oci):\/\/.+/, 'a storage URI (pvc://, s3://, gs://, https://, oci://)'),
        resources: z.record(z.string(), z.record(z.string(), quantity)),
      }).strict(),
    }).strict().refine((p) => p.minReplicas <= p.maxReplicas, { message: 'minReplicas must not exceed maxReplicas' }),
  }).strict(),
}).strict();

/** Ray Serve config file (ServeDeploySchema in Ray's docs), the fields Kneepoint emits. */
const rayDeploymentSchema = z.object({
  name: z.string().min(1),
  num_replicas: int.min(1).optional(),
  max_ongoing_requests: int.min(1),
  autoscaling_config: z.object({ min_replicas: int.min(0), max_replicas: int.min(1), target_ongoing_requests: z.number().positive() }).strict()
    .refine((a) => a.min_replicas <= a.max_replicas, { message: 'min_replicas must not exceed max_replicas' }).optional(),
  ray_actor_options: z.object({ num_cpus: z.number().positive() }).strict(),
  user_config: z.record(z.string(), z.unknown()),
}).strict().refine((d) => (d.num_replicas === undefined) !== (d.autoscaling_config === undefined), { message: 'exactly one of num_replicas and autoscaling_config' });
const rayServeSchema = z.object({
  proxy_location: z.enum(['Disabled', 'HeadOnly', 'EveryNode']),
  http_options: z.object({ host: z.string(), port: int.min(1).max(65535) }).strict(),
  applications: z.array(z.object({
    name: z.string().min(1), route_prefix: z.string().startsWith('/'), import_path: z.string().regex(/^[\w.]+[:.][\w]+$/, 'module:attribute'),
    deployments: z.array(rayDeploymentSchema).min(1),
  }).strict()).min(1),
}).strict();

function zodProblems(e: z.ZodError): string {
  return e.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
}

function yamlDocs(f: DeployFile): unknown[] {
  const docs = parseAllDocuments(f.text);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) if (d.errors.length) throw new Error(`${f.name}: not valid YAML: ${d.errors[0].message}`);
  return list.map((d) => d.toJS());
}

/** Parses each file back and validates it; returns what was checked, throws with the problems otherwise. */
export function validateDeployFiles(format: DeployFormat, files: DeployFile[]): string[] {
  const checked: string[] = [];
  for (const f of files) {
    if (format === 'triton') {
      try { parseTritonConfig(f.text); } catch (e) { throw new Error(`${f.name} does not parse as a Triton ModelConfig: ${(e as Error).message}`); }
      checked.push(`${f.name}: parsed as inference.ModelConfig (Triton model_config messages, strict text format)`);
      continue;
    }
    for (const doc of yamlDocs(f)) {
      const o = doc as { apiVersion?: string; kind?: string; metadata?: unknown; spec?: { predictor?: { model?: { resources?: unknown } } } };
      const key = `${o.apiVersion}/${o.kind}`;
      if (format === 'ray-serve') {
        const r = rayServeSchema.safeParse(doc);
        if (!r.success) throw new Error(`${f.name} is not a valid Ray Serve config: ${zodProblems(r.error)}`);
        checked.push(`${f.name}: Ray Serve config (applications, deployments, autoscaling_config)`);
        continue;
      }
      if (key === 'serving.kserve.io/v1beta1/InferenceService') {
        const r = inferenceServiceSchema.safeParse(doc);
        if (!r.success) throw new Error(`${f.name} is not a valid InferenceService: ${zodProblems(r.error)}`);
        new ObjectMeta(o.metadata as never).validate();
        new ResourceRequirements(o.spec!.predictor!.model!.resources as never).validate();
        checked.push(`${f.name}: InferenceService (v1beta1 predictor fields; metadata and resources with kubernetes-models)`);
        continue;
      }
      const make = K8S_KINDS[key];
      if (!make) throw new Error(`${f.name}: no validator for ${key}`);
      make(doc as never).validate();
      checked.push(`${f.name}: ${o.kind} (${o.apiVersion}) validated with ${key.startsWith('keda') ? '@kubernetes-models/keda' : 'kubernetes-models'}`);
    }
  }
  return checked;
}
