// KServe InferenceService (serving.kserve.io/v1beta1) for a real-time plan: Triton runtime serving
// the ONNX model, replicas bounded by the plan, scaled on concurrency per replica from the measured knee.
import { invalidInput } from '../../common/errors.ts';
import type { DeploySizing, Sourced } from './deploySizing.ts';
import { k8sName } from './deploySizing.ts';
import { resources } from './kubernetes.ts';
import { yamlDocument } from './yamlProvenance.ts';
import type { DeployFile } from '../../common/deployTypes.ts';

export function kserveObject(s: DeploySizing): { object: Record<string, unknown>; values: Record<string, Sourced<number | string>>; annotations: Array<{ path: Array<string | number>; why: string }> } {
  if (s.mode === 'batch') throw invalidInput(`plan ${s.planId} is a scheduled batch: KServe serves requests, it has no scheduled jobs. Export it with --format k8s (a CronJob)`);
  if (s.mode === 'deferred') throw invalidInput(`plan ${s.planId} is deferred (a queue and workers): KServe has no queue-driven target. Export it with --format k8s (worker Deployment + KEDA ScaledObject)`);
  const rt = s.realtime;
  if (!rt) throw invalidInput(`plan ${s.planId} (${s.mode}/${s.variant}) serves from functions, not a fleet: there is no InferenceService to size`);
  const object = {
    apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService',
    metadata: {
      name: k8sName(s.model.id),
      annotations: { 'serving.kserve.io/deploymentMode': 'Serverless', 'kneepoint.dev/plan': s.planId, 'kneepoint.dev/run': s.runId, 'kneepoint.dev/model-sha256': s.model.sha256 },
    },
    spec: {
      predictor: {
        minReplicas: rt.minReplicas.value,
        maxReplicas: rt.maxReplicas.value,
        scaleMetric: 'concurrency',
        scaleTarget: rt.concurrencyPerReplica.value,
        model: {
          modelFormat: { name: 'onnx' },
          runtime: 'kserve-tritonserver',
          protocolVersion: 'v2',
          storageUri: `pvc://model-repository/${s.model.id}`,
          resources: resources(s),
        },
      },
    },
  };
  const p = ['spec', 'predictor'];
  const annotations = [
    { path: [...p, 'minReplicas'], why: rt.minReplicas.why }, { path: [...p, 'maxReplicas'], why: rt.maxReplicas.why },
    { path: [...p, 'scaleTarget'], why: rt.concurrencyPerReplica.why },
    { path: [...p, 'model', 'resources', 'requests', 'cpu'], why: s.resources.cpu.why }, { path: [...p, 'model', 'resources', 'requests', 'memory'], why: s.resources.memory.why },
  ];
  return { object, annotations, values: { minReplicas: rt.minReplicas, maxReplicas: rt.maxReplicas, scaleTarget: rt.concurrencyPerReplica, 'resources.cpu': s.resources.cpu, 'resources.memory': s.resources.memory } };
}

export function kserveFile(s: DeploySizing, k: ReturnType<typeof kserveObject>): DeployFile {
  const header = [...s.provenance, ...s.notes.map((n) => `note: ${n}`),
    `note: the storage URI holds the Triton model repository entry (${s.model.id}/config.pbtxt from --format triton, ${s.model.id}/1/model.onnx)`];
  return { name: `${k8sName(s.model.id)}-inferenceservice.yaml`, text: yamlDocument(k.object, header, k.annotations) };
}
