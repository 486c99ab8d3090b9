// Kubernetes objects for a plan: real-time → Deployment (Triton serving the model) + HPA
// (autoscaling/v2); deferred → worker Deployment + KEDA ScaledObject on queue length; scheduled
// batch → CronJob (Indexed Job, one shard per machine); hybrid → the real-time pair + the CronJob.
import { invalidInput } from '../../common/errors.ts';
import type { DeploySizing, Sourced } from './deploySizing.ts';
import { k8sName } from './deploySizing.ts';
import { yamlDocument, type Annotation } from './yamlProvenance.ts';
import type { DeployFile } from '../../common/deployTypes.ts';

export const TRITON_IMAGE = 'nvcr.io/nvidia/tritonserver:24.08-py3';

export interface K8sObjects {
  objects: Array<{ object: Record<string, unknown>; annotations: Annotation[] }>;
  values: Record<string, Sourced<number | string>>;
  notes: string[];
}

function labels(s: DeploySizing, role: string): Record<string, string> {
  return { 'app.kubernetes.io/name': k8sName(s.model.id), 'app.kubernetes.io/component': role, 'app.kubernetes.io/managed-by': 'kneepoint' };
}

function meta(s: DeploySizing, name: string, role: string): Record<string, unknown> {
  return {
    name, labels: labels(s, role),
    annotations: { 'kneepoint.dev/plan': s.planId, 'kneepoint.dev/run': s.runId, ...(s.point?.id != null ? { 'kneepoint.dev/point': String(s.point.id) } : {}), 'kneepoint.dev/model-sha256': s.model.sha256 },
  };
}

export function resources(s: DeploySizing): Record<string, unknown> {
  const r = { cpu: s.resources.cpu.value, memory: s.resources.memory.value };
  return { requests: { ...r }, limits: { ...r } };
}

const resourceNotes = (base: Array<string | number>, s: DeploySizing): Annotation[] => [
  { path: [...base, 'requests', 'cpu'], why: s.resources.cpu.why },
  { path: [...base, 'requests', 'memory'], why: s.resources.memory.why },
];

/** The Triton container serving the model repository (config.pbtxt from `--format triton`). */
function tritonContainer(s: DeploySizing): Record<string, unknown> {
  return {
    name: 'triton', image: TRITON_IMAGE,
    args: ['tritonserver', '--model-repository=/models', '--strict-model-config=false'],
    ports: [{ name: 'http', containerPort: 8000 }, { name: 'grpc', containerPort: 8001 }, { name: 'metrics', containerPort: 8002 }],
    readinessProbe: { httpGet: { path: `/v2/models/${s.model.id}/ready`, port: 'http' } },
    resources: resources(s),
    volumeMounts: [{ name: 'models', mountPath: '/models', readOnly: true }],
  };
}

const modelsVolume = { name: 'models', persistentVolumeClaim: { claimName: 'model-repository' } };

function realtimeObjects(s: DeploySizing, out: K8sObjects): void {
  const rt = s.realtime!;
  const name = k8sName(s.model.id);
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(s, name, 'server'),
    spec: {
      replicas: rt.minReplicas.value,
      selector: { matchLabels: labels(s, 'server') },
      template: { metadata: { labels: labels(s, 'server') }, spec: { containers: [tritonContainer(s)], volumes: [modelsVolume] } },
    },
  };
  const hpa = {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta(s, name, 'server'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: rt.minReplicas.value, maxReplicas: rt.maxReplicas.value,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: rt.cpuTargetUtilizationPct.value } } }],
    },
  };
  const c = ['spec', 'template', 'spec', 'containers', 0];
  out.objects.push({ object: deployment, annotations: [{ path: ['spec', 'replicas'], why: rt.minReplicas.why }, ...resourceNotes([...c, 'resources'], s)] });
  out.objects.push({
    object: hpa,
    annotations: [
      { path: ['spec', 'minReplicas'], why: rt.minReplicas.why }, { path: ['spec', 'maxReplicas'], why: rt.maxReplicas.why },
      { path: ['spec', 'metrics', 0, 'resource', 'target', 'averageUtilization'], why: rt.cpuTargetUtilizationPct.why },
    ],
  });
  Object.assign(out.values, { 'Deployment.spec.replicas': rt.minReplicas, 'HPA.minReplicas': rt.minReplicas, 'HPA.maxReplicas': rt.maxReplicas, 'HPA.averageUtilization': rt.cpuTargetUtilizationPct, 'resources.cpu': s.resources.cpu, 'resources.memory': s.resources.memory });
  out.notes.push(`the Deployment serves the model with Triton (${TRITON_IMAGE}) from the PVC "model-repository": put ${s.model.id}/config.pbtxt (kneepoint deploy --format triton) and ${s.model.id}/1/model.onnx there`);
}

/**
 * The configuration a queue worker or batch job runs the model with (env 0-3; env 1 is BATCH_SIZE,
 * which the annotations point at): the same four variables for the deferred and the batch image.
 */
function workerEnv(s: DeploySizing, c: { batch: Sourced; instances: Sourced; threadsPerInstance: Sourced }): Array<{ name: string; value: string }> {
  return [
    { name: 'KNEEPOINT_MODEL', value: s.model.id }, { name: 'BATCH_SIZE', value: String(c.batch.value) },
    { name: 'MODEL_INSTANCES', value: String(c.instances.value) }, { name: 'INTRA_OP_THREADS', value: String(c.threadsPerInstance.value) },
  ];
}

function deferredObjects(s: DeploySizing, out: K8sObjects): void {
  const d = s.deferred!;
  const name = k8sName(s.model.id, '-worker');
  const env = [
    ...workerEnv(s, d),
    { name: 'DEADLINE_S', value: String(d.deadlineS.value) }, { name: 'QUEUE_NAME', value: k8sName(s.model.id, '-jobs') },
  ];
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(s, name, 'worker'),
    spec: {
      replicas: d.minReplicas.value,
      selector: { matchLabels: labels(s, 'worker') },
      template: { metadata: { labels: labels(s, 'worker') }, spec: { containers: [{ name: 'worker', image: 'REPLACE-with-your-queue-worker-image', env, resources: resources(s) }] } },
    },
  };
  const scaledObject = {
    apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: meta(s, name, 'worker'),
    spec: {
      scaleTargetRef: { name },
      minReplicaCount: d.minReplicas.value, maxReplicaCount: d.maxReplicas.value,
      triggers: [{ type: 'rabbitmq', metadata: { queueName: k8sName(s.model.id, '-jobs'), mode: 'QueueLength', value: String(d.queueLengthPerReplica.value), hostFromEnv: 'RABBITMQ_URL' } }],
    },
  };
  const c = ['spec', 'template', 'spec', 'containers', 0];
  out.objects.push({ object: deployment, annotations: [{ path: ['spec', 'replicas'], why: d.minReplicas.why }, { path: [...c, 'env', 1, 'value'], why: d.batch.why }, { path: [...c, 'env', 4, 'value'], why: d.deadlineS.why }, ...resourceNotes([...c, 'resources'], s)] });
  out.objects.push({
    object: scaledObject,
    annotations: [
      { path: ['spec', 'minReplicaCount'], why: d.minReplicas.why }, { path: ['spec', 'maxReplicaCount'], why: d.maxReplicas.why },
      { path: ['spec', 'triggers', 0, 'metadata', 'value'], why: d.queueLengthPerReplica.why },
    ],
  });
  Object.assign(out.values, { 'Deployment.spec.replicas': d.minReplicas, 'ScaledObject.minReplicaCount': d.minReplicas, 'ScaledObject.maxReplicaCount': d.maxReplicas, 'ScaledObject.queueLength': d.queueLengthPerReplica, BATCH_SIZE: d.batch, 'resources.cpu': s.resources.cpu });
  out.notes.push('deferred: the worker takes jobs from a queue; the KEDA trigger is written for RabbitMQ (QueueLength) — swap the trigger type for your queue (aws-sqs-queue, redis, kafka …) and keep the value');
}

function batchObjects(s: DeploySizing, out: K8sObjects): void {
  const b = s.batch!;
  const name = k8sName(s.model.id, '-batch');
  const env = [
    ...workerEnv(s, b),
    { name: 'ITEMS_PER_RUN', value: String(b.itemsPerRun.value) }, { name: 'SHARDS', value: String(b.parallelism.value) },
  ];
  const cron = {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta(s, name, 'batch'),
    spec: {
      schedule: b.schedule.value, concurrencyPolicy: 'Forbid',
      jobTemplate: {
        spec: {
          completionMode: 'Indexed', completions: b.parallelism.value, parallelism: b.parallelism.value, activeDeadlineSeconds: b.activeDeadlineS.value, backoffLimit: 2,
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'batch', image: 'REPLACE-with-your-batch-scoring-image', env, resources: resources(s) }] } },
        },
      },
    },
  };
  const j = ['spec', 'jobTemplate', 'spec'];
  out.objects.push({
    object: cron,
    annotations: [
      { path: ['spec', 'schedule'], why: b.schedule.why }, { path: [...j, 'completions'], why: b.parallelism.why }, { path: [...j, 'parallelism'], why: b.parallelism.why },
      { path: [...j, 'activeDeadlineSeconds'], why: b.activeDeadlineS.why }, { path: [...j, 'template', 'spec', 'containers', 0, 'env', 1, 'value'], why: b.batch.why },
      { path: [...j, 'template', 'spec', 'containers', 0, 'env', 4, 'value'], why: b.itemsPerRun.why },
    ],
  });
  Object.assign(out.values, { 'CronJob.schedule': b.schedule, 'CronJob.parallelism': b.parallelism, 'CronJob.activeDeadlineSeconds': b.activeDeadlineS, 'batch.BATCH_SIZE': b.batch });
  out.notes.push('batch: each of the Indexed Job\'s pods scores shard JOB_COMPLETION_INDEX of SHARDS; the image is yours (it runs the model over its shard)');
}

export function kubernetesObjects(s: DeploySizing): K8sObjects {
  const out: K8sObjects = { objects: [], values: {}, notes: [] };
  if (s.mode === 'realtime' || s.mode === 'hybrid') {
    if (!s.realtime) throw invalidInput(`plan ${s.planId} (${s.mode}/${s.variant}) serves from functions, not a fleet: there is no Deployment to write`);
    realtimeObjects(s, out);
  }
  if (s.mode === 'deferred') deferredObjects(s, out);
  if (s.mode === 'batch' || (s.mode === 'hybrid' && s.batch)) {
    if (!s.batch) throw invalidInput(`plan ${s.planId} is a batch plan without a schedule in its workload`);
    batchObjects(s, out);
  }
  return out;
}

export function kubernetesFile(s: DeploySizing, k: K8sObjects): DeployFile {
  const docs = k.objects.map((o, i) => yamlDocument(o.object, i === 0 ? [...s.provenance, ...s.notes.map((n) => `note: ${n}`), ...k.notes.map((n) => `note: ${n}`)] : [], o.annotations));
  return { name: `${k8sName(s.model.id)}-k8s.yaml`, text: docs.join('---\n') };
}
