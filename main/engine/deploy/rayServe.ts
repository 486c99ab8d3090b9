// Ray Serve config file (serve deploy / serve run) for a real-time plan. A Ray replica is one model
// instance: the plan's replicas × instances per replica, each with its intra-op threads as CPUs.
import { invalidInput } from '../../common/errors.ts';
import type { DeploySizing, Sourced } from './deploySizing.ts';
import { k8sName } from './deploySizing.ts';
import { yamlDocument } from './yamlProvenance.ts';
import type { DeployFile } from '../../common/deployTypes.ts';

export function rayServeConfig(s: DeploySizing): { config: Record<string, unknown>; values: Record<string, Sourced<number | string>>; annotations: Array<{ path: Array<string | number>; why: string }> } {
  if (s.mode === 'batch') throw invalidInput(`plan ${s.planId} is a scheduled batch: Ray Serve serves requests. Export it with --format k8s (a CronJob)`);
  if (s.mode === 'deferred') throw invalidInput(`plan ${s.planId} is deferred (a queue and workers): Ray Serve has no queue-driven target. Export it with --format k8s (worker Deployment + KEDA ScaledObject)`);
  const rt = s.realtime;
  if (!rt) throw invalidInput(`plan ${s.planId} (${s.mode}/${s.variant}) serves from functions, not a fleet: there is no Ray Serve deployment to size`);
  const perInstance = (v: Sourced, what: string): Sourced => ({ value: Math.max(1, v.value * rt.instances.value), why: `${v.why} × ${rt.instances.value} model instance(s) per machine (${what})` });
  const minR = perInstance(rt.minReplicas, 'one Ray replica per model instance');
  const maxR = perInstance(rt.maxReplicas, 'one Ray replica per model instance');
  const target: Sourced = { value: Math.max(1, Math.round(rt.concurrencyPerReplica.value / rt.instances.value)), why: `${rt.concurrencyPerReplica.why}, ÷ ${rt.instances.value} instance(s)` };
  const maxOngoing: Sourced = { value: Math.max(rt.maxBatch.value, 2 * target.value), why: `rule: max(max batch ${rt.maxBatch.value}, 2 × target_ongoing_requests) so a replica can fill a batch while one runs` };
  const autoscaled = minR.value !== maxR.value;
  const deployment: Record<string, unknown> = {
    name: 'OnnxModel',
    max_ongoing_requests: maxOngoing.value,
    ...(autoscaled
      ? { autoscaling_config: { min_replicas: minR.value, max_replicas: maxR.value, target_ongoing_requests: target.value } }
      : { num_replicas: minR.value }),
    ray_actor_options: { num_cpus: rt.threadsPerInstance.value },
    user_config: { model_file: s.model.fileName, max_batch_size: rt.maxBatch.value, batch_wait_timeout_s: rt.maxQueueDelayUs.value / 1e6, intra_op_num_threads: rt.threadsPerInstance.value },
  };
  const config = {
    proxy_location: 'EveryNode',
    http_options: { host: '0.0.0.0', port: 8000 },
    applications: [{ name: k8sName(s.model.id), route_prefix: `/${k8sName(s.model.id)}`, import_path: 'kneepoint_serve:app', deployments: [deployment] }],
  };
  const d = ['applications', 0, 'deployments', 0];
  const annotations = [
    { path: [...d, 'max_ongoing_requests'], why: maxOngoing.why },
    ...(autoscaled
      ? [{ path: [...d, 'autoscaling_config', 'min_replicas'], why: minR.why }, { path: [...d, 'autoscaling_config', 'max_replicas'], why: maxR.why }, { path: [...d, 'autoscaling_config', 'target_ongoing_requests'], why: target.why }]
      : [{ path: [...d, 'num_replicas'], why: minR.why }]),
    { path: [...d, 'ray_actor_options', 'num_cpus'], why: rt.threadsPerInstance.why },
    { path: [...d, 'user_config', 'max_batch_size'], why: rt.maxBatch.why },
    { path: [...d, 'user_config', 'batch_wait_timeout_s'], why: rt.maxQueueDelayUs.why },
  ];
  const values: Record<string, Sourced<number | string>> = { max_ongoing_requests: maxOngoing, num_cpus: rt.threadsPerInstance, max_batch_size: rt.maxBatch, batch_wait_timeout_us: rt.maxQueueDelayUs };
  if (autoscaled) Object.assign(values, { min_replicas: minR, max_replicas: maxR, target_ongoing_requests: target });
  else Object.assign(values, { num_replicas: minR });
  return { config, values, annotations };
}

export function rayServeFile(s: DeploySizing, r: ReturnType<typeof rayServeConfig>): DeployFile {
  const header = [...s.provenance, ...s.notes.map((n) => `note: ${n}`),
    'note: import_path names your Serve app (an @serve.deployment class that loads model_file with onnxruntime and wraps __call__ in @serve.batch(max_batch_size, batch_wait_timeout_s) from user_config)'];
  return { name: `${k8sName(s.model.id)}-serve-config.yaml`, text: yamlDocument(r.config, header, r.annotations) };
}
