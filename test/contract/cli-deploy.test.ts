// `kneepoint deploy` on plans made from a real sweep of a shipped model: every format validates,
// and every emitted value is read back from the files and compared with the stored plan.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { json, runCli, tempDir, QUICK } from '../helpers/cli.ts';
import { parseTritonConfig } from '../../main/engine/deploy/tritonSchema.ts';
import { validateDeployFiles } from '../../main/engine/deploy/validateDeployment.ts';
import { createEngine } from '../../main/engine/api.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');
const withDb = (...args: string[]) => ['--db', db, ...args];

let runId: string;
const plans: Record<string, any> = {};
before(async () => {
  const sweep = await runCli(withDb('sweep', '--model', 'mlp-small', '--batch', '1,8', ...QUICK, '--json'));
  assert.equal(sweep.code, 0, sweep.stderr);
  runId = json(sweep).runId;
  for (const [key, file, extra] of [['realtime', 'product-page-recs', []], ['batch', 'weekly-churn', []], ['deferred', 'receipt-ocr', ['--map-model', 'mlp-small']]] as const) {
    const r = await runCli(withDb('plan', '--workload', join('workloads', `${file}.yaml`), '--run', runId, ...extra, '--json'));
    assert.equal(r.code, 0, r.stderr);
    plans[key] = json(r);
    assert.equal(plans[key].verdict, key, `${file} plans as ${key}`);
  }
});

const chosen = (p: any) => p.plans.find((x: any) => x.mode === p.verdict);

async function deploy(planId: string, format: string, out: string): Promise<any> {
  const r = await runCli(withDb('deploy', planId, '--format', format, '--out', out, '--json'));
  assert.equal(r.code, 0, r.stderr);
  const res = json(r);
  assert.ok(res.validated.length >= 1, 'the files were validated');
  for (const f of res.files) {
    assert.equal(readFileSync(join(out, f.name), 'utf8'), f.text, `${f.name} written under --out`);
    // provenance: the plan, the run and the point the values come from
    assert.match(f.text, new RegExp(`plan ${planId}`));
    assert.match(f.text, new RegExp(`run ${runId}`));
    assert.match(f.text, /Chosen point: #\d+ batch \d+/);
  }
  return res;
}

test('realtime plan → Triton config.pbtxt parses against the model-config messages and carries the plan\'s values', async () => {
  const p = plans.realtime;
  const c = chosen(p).config;
  const res = await deploy(p.planId, 'triton', join(dir, 'triton'));
  assert.equal(res.files[0].name, 'mlp-small/config.pbtxt');
  const cfg: any = parseTritonConfig(res.files[0].text);
  assert.equal(cfg.maxBatchSize, c.batch);
  assert.equal(cfg.instanceGroup[0].count, c.instances);
  assert.equal(cfg.instanceGroup[0].kind, 2, 'KIND_CPU');
  assert.equal(cfg.parameters.intra_op_thread_count.stringValue, String(c.threadsPerInstance));
  const db = cfg.schedulingChoice.value;
  assert.equal(cfg.schedulingChoice.case, 'dynamicBatching');
  assert.deepEqual(db.preferredBatchSize, [c.batch]);
  assert.equal(Number(db.maxQueueDelayMicroseconds), Math.round(c.maxDelayMs * 1000));
  assert.equal(Number(db.defaultQueuePolicy.defaultTimeoutMicroseconds), res.values.default_timeout_microseconds.value);
  assert.ok(db.defaultQueuePolicy.maxQueueSize >= c.batch);
  // inputs/outputs from inspection, batch dim dropped: mlp-small takes features [N, 64] → score [N, 1]
  assert.deepEqual(cfg.input.map((i: any) => [i.name, i.dataType, i.dims]), [['features', 11, ['64']]]);
  assert.deepEqual(cfg.output.map((o: any) => [o.name, o.dims]), [['score', ['1']]]);
});

test('realtime plan → Kubernetes Deployment + HPA, KServe InferenceService and Ray Serve config sized like the plan', async () => {
  const p = plans.realtime;
  const plan = chosen(p);
  const c = plan.config;
  const byHour: number[] = plan.replicasByHour ?? [plan.replicas];
  const autoscaled = plan.variant === 'autoscaled';
  const minReplicas = autoscaled ? Math.min(...byHour) : plan.replicas;
  const k8s = await deploy(p.planId, 'k8s', join(dir, 'k8s'));
  const [dep, hpa] = parseAllDocuments(k8s.files[0].text).map((d) => d.toJS());
  assert.equal(dep.kind, 'Deployment');
  assert.equal(dep.spec.replicas, minReplicas);
  assert.equal(dep.metadata.annotations['kneepoint.dev/plan'], p.planId);
  assert.equal(hpa.apiVersion, 'autoscaling/v2');
  assert.equal(hpa.spec.minReplicas, minReplicas);
  assert.equal(hpa.spec.maxReplicas, plan.replicas);
  // c7i.large: 2 cores, 4 GiB in the workload's instance list
  assert.equal(dep.spec.template.spec.containers[0].resources.requests.cpu, '2');
  assert.equal(dep.spec.template.spec.containers[0].resources.requests.memory, `${Math.floor(4 * 1024 * 0.85)}Mi`);
  assert.match(k8s.files[0].text, /replicas: \d+ # plan .* replicas/);

  const ks = await deploy(p.planId, 'kserve', join(dir, 'kserve'));
  const isvc = parse(ks.files[0].text);
  assert.equal(isvc.kind, 'InferenceService');
  assert.equal(isvc.spec.predictor.minReplicas, minReplicas);
  assert.equal(isvc.spec.predictor.maxReplicas, plan.replicas);
  assert.equal(isvc.spec.predictor.scaleMetric, 'concurrency');
  assert.equal(isvc.spec.predictor.scaleTarget, ks.values.scaleTarget.value);
  assert.match(ks.values.scaleTarget.why, /Little's law/);

  const ray = await deploy(p.planId, 'ray-serve', join(dir, 'ray'));
  const dcfg = parse(ray.files[0].text).applications[0].deployments[0];
  if (minReplicas === plan.replicas) assert.equal(dcfg.num_replicas, plan.replicas * c.instances);
  else assert.deepEqual([dcfg.autoscaling_config.min_replicas, dcfg.autoscaling_config.max_replicas], [minReplicas * c.instances, plan.replicas * c.instances]);
  assert.equal(dcfg.ray_actor_options.num_cpus, c.threadsPerInstance);
  assert.equal(dcfg.user_config.max_batch_size, c.batch);
  assert.equal(dcfg.user_config.batch_wait_timeout_s, c.maxDelayMs / 1000);
});

test('scheduled batch plan → CronJob; deferred plan → worker Deployment + KEDA queue-length ScaledObject; other targets say why not', async () => {
  const b = plans.batch;
  const bp = chosen(b);
  const k8s = await deploy(b.planId, 'k8s', join(dir, 'batch'));
  const [cron] = parseAllDocuments(k8s.files[0].text).map((d) => d.toJS());
  assert.equal(cron.kind, 'CronJob');
  assert.equal(cron.spec.schedule, '0 0 * * 0', 'weekly-churn runs every 168 h');
  assert.equal(cron.spec.jobTemplate.spec.parallelism, bp.replicas);
  assert.equal(cron.spec.jobTemplate.spec.completions, bp.replicas);
  assert.equal(cron.spec.jobTemplate.spec.activeDeadlineSeconds, 8 * 3600, 'windowH 8');
  const env = Object.fromEntries(cron.spec.jobTemplate.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
  assert.equal(env.BATCH_SIZE, String(bp.config.batch));
  assert.equal(env.ITEMS_PER_RUN, '12000000');
  for (const f of ['triton', 'kserve', 'ray-serve']) {
    const r = await runCli(withDb('deploy', b.planId, '--format', f));
    assert.equal(r.code, 2, `${f}: ${r.stderr}`);
    assert.match(r.stderr, /scheduled batch.*--format k8s/);
  }

  const d = plans.deferred;
  const dp = chosen(d);
  const dk = await deploy(d.planId, 'k8s', join(dir, 'deferred'));
  const [worker, scaled] = parseAllDocuments(dk.files[0].text).map((x) => x.toJS());
  assert.equal(worker.kind, 'Deployment');
  assert.equal(scaled.kind, 'ScaledObject');
  assert.equal(scaled.spec.minReplicaCount, dp.variant === 'serverless' ? 0 : Math.max(1, dp.replicas));
  assert.equal(scaled.spec.triggers[0].metadata.mode, 'QueueLength');
  assert.equal(Number(scaled.spec.triggers[0].metadata.value), dk.values['ScaledObject.queueLength'].value);
  const kserve = await runCli(withDb('deploy', d.planId, '--format', 'kserve'));
  assert.equal(kserve.code, 2);
  assert.match(kserve.stderr, /deferred .*--format k8s/);
});

test('the validators reject a broken file (they are not decoration)', () => {
  assert.throws(() => validateDeployFiles('k8s', [{ name: 'x.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: m }\nspec: { replicas: two, selector: {}, template: {} }\n' }]), /replicas/);
  assert.throws(() => validateDeployFiles('triton', [{ name: 'config.pbtxt', text: 'name: "m"\nmax_batch: 8\n' }]), /max_batch/);
  assert.throws(() => validateDeployFiles('triton', [{ name: 'config.pbtxt', text: 'instance_group [ { kind: KIND_TPU } ]\n' }]), /KIND_TPU/);
  assert.throws(() => validateDeployFiles('kserve', [{ name: 'i.yaml', text: 'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: { name: m }\nspec: { predictor: { minReplicas: 3, maxReplicas: 1, scaleMetric: concurrency, scaleTarget: 4, model: { modelFormat: { name: onnx }, storageUri: "pvc://x/y", resources: {} } } }\n' }]), /minReplicas/);
});

test('the API gives the Plan view the same validated files as the CLI', async () => {
  const engine = await createEngine({ dbPath: db, dataDir: dir });
  try {
    const viaApi = await engine.exportDeployment({ planId: plans.realtime.planId, format: 'triton' });
    const viaCli = json(await runCli(withDb('deploy', plans.realtime.planId, '--format', 'triton', '--json')));
    assert.deepEqual(viaApi.files, viaCli.files);
    assert.deepEqual(viaApi.validated, viaCli.validated);
    await assert.rejects(engine.exportDeployment({ planId: plans.batch.planId, format: 'kserve' }), (e: any) => e.kind === 'invalid-input' && /--format k8s/.test(e.message));
  } finally {
    await engine.close();
  }
});

test('unknown plan, format or mode exits 2', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['plan_nope', '--format', 'k8s'], /plan plan_nope not found/],
    [[plans.realtime.planId, '--format', 'helm'], /--format must be one of/],
    [[plans.realtime.planId, '--format', 'k8s', '--mode', 'batch'], /no feasible batch plan/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(withDb('deploy', ...args));
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});
