// The workload file (YAML): what the planner needs to know about how a model will be used.
// Pure TypeScript (runs in the engine, the CLI and the UI's what-if form). Every field carries its
// unit in its name; docs/planner.md describes each one and the arithmetic that uses it.
import { z } from 'zod';
import { inputPinSchema, precisionSchema } from '../schemas.ts';

const positive = () => z.number().finite().positive();
const nonNegative = () => z.number().finite().min(0);

/** Which model the workload runs, and input pins that make synthesized inputs valid. */
export const workloadModelSchema = z.object({
  /** catalog id (e.g. mlp-small) or a path to an .onnx file */
  id: z.string().min(1),
  inputs: z.array(inputPinSchema).default([]),
}).strict();

/** The latency promise to callers, at one percentile, measured end to end (including network). */
export const slaSchema = z.object({
  /** which percentile the promise is about: 50, 90, 95, 99 or 99.9 */
  percentile: z.number().min(50).max(99.9).default(99),
  /** end-to-end latency limit at that percentile, milliseconds */
  slaMs: positive(),
}).strict();

export const callersSchema = z.object({
  /** callers block on the answer (a page render, a voice turn) */
  synchronous: z.boolean(),
  /** callers could also take a job id and poll / receive a callback (makes deferred eligible) */
  acceptsAsync: z.boolean().default(false),
}).strict();

export const freshnessSchema = z.object({
  /** how old a precomputed answer may be when it is read, hours (batch needs >= period + window) */
  toleranceH: nonNegative().optional(),
  /** deferred jobs must finish within this many seconds of submission */
  deadlineS: positive().optional(),
}).strict();

export const trafficSchema = z.object({
  /** mean request rate over a day, requests per second (one request = one inference) */
  meanRatePerSec: positive().optional(),
  /** alternative to meanRatePerSec */
  requestsPerDay: positive().optional(),
  /** 24 relative hourly multipliers, hour 0 = midnight; normalised to mean 1 */
  dailyProfile: z.array(nonNegative()).length(24).optional(),
  /** peak hour rate / mean rate, when no daily profile is given (1 = flat) */
  peakToMean: z.number().finite().min(1).optional(),
  /** coefficient of variation of inter-arrival gaps within an hour (1 = Poisson, > 1 bursty) */
  burstinessCv: nonNegative().default(1),
  /** file of arrival times (ms, JSON array or one per line); the engine reads it, the planner summarises it */
  traceFile: z.string().min(1).optional(),
}).strict().superRefine((t, ctx) => {
  if (t.meanRatePerSec === undefined && t.requestsPerDay === undefined && t.traceFile === undefined) {
    ctx.addIssue({ code: 'custom', message: 'missing rate: give meanRatePerSec (requests/s), requestsPerDay or traceFile' });
  }
  if (t.meanRatePerSec !== undefined && t.requestsPerDay !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['requestsPerDay'], message: 'give either meanRatePerSec or requestsPerDay, not both' });
  }
  if (t.dailyProfile !== undefined && t.peakToMean !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['peakToMean'], message: 'give either dailyProfile or peakToMean, not both (the profile already fixes the peak)' });
  }
  if (t.dailyProfile && !t.dailyProfile.some((v) => v > 0)) {
    ctx.addIssue({ code: 'custom', path: ['dailyProfile'], message: 'at least one hour must have traffic (all 24 multipliers are 0)' });
  }
});

export const payloadSchema = z.object({
  /** bytes uploaded per request */
  requestBytes: nonNegative().default(0),
  /** bytes returned per request */
  responseBytes: nonNegative().default(0),
  /** callers' upload bandwidth, megabits per second; upload time counts against the SLA */
  clientUploadMbps: positive().optional(),
  /** largest request a synchronous endpoint accepts (API gateway / load balancer limit), bytes */
  syncMaxBytes: positive().optional(),
}).strict();

export const overheadsSchema = z.object({
  /** round-trip network time outside the model server, ms */
  networkMs: nonNegative().default(0),
  /** decoding, resizing, tokenising before inference, ms */
  preProcessMs: nonNegative().default(0),
  /** decoding outputs, formatting the answer, ms */
  postProcessMs: nonNegative().default(0),
}).strict();

/** Scheduled batch: precompute every item once per period inside a window. */
export const scheduleSchema = z.object({
  /** how often the batch runs, hours (24 = nightly, 168 = weekly) */
  periodH: positive(),
  /** how long each run may take, hours */
  windowH: positive(),
  /** per-run setup (load data, warm up, write results), minutes */
  setupMin: nonNegative().default(0),
  /** inferences per run (e.g. every user × 1) */
  itemsPerRun: positive(),
}).strict().refine((s) => s.windowH <= s.periodH, { message: 'windowH must not exceed periodH', path: ['windowH'] });

/** One machine type you could rent. Without pricePerHourUsd, plans give capacity but cost is unknown. */
export const instanceTypeSchema = z.object({
  name: z.string().min(1),
  pricePerHourUsd: nonNegative().optional(),
  cores: z.number().int().min(1).optional(),
  memoryGiB: positive().optional(),
  /** GPU model, or omitted for CPU-only; curves measured on cuda/tensorrt run only on GPU instances */
  gpu: z.string().optional(),
  /** throughput of the measured configuration here relative to the measured machine (2 = twice as fast) */
  speedFactor: positive().default(1),
  /** true when the curve was measured on this instance type (no speed-factor uncertainty) */
  measuredHere: z.boolean().default(false),
  /** the remote target (`kneepoint targets`) this instance type was measured on: the plan uses that target's latest sweep, as measured */
  target: z.string().min(1).optional(),
  /** or the run measured on this instance type */
  runId: z.string().min(1).optional(),
  /** ± uncertainty of speedFactor when not measured here, percent (typically 30-50) */
  speedUncertaintyPct: z.number().min(0).max(90).default(40),
  /** billing rounds each run up to this many seconds (1 = per second, 3600 = per hour) */
  billingGranularityS: positive().default(1),
  /** time from request to serving, seconds (cold boot + model load) */
  bootS: nonNegative().default(60),
}).strict();

/** Function-as-a-service pricing and limits (a sub-option of real-time and deferred). */
export const serverlessSchema = z.object({
  pricePerMillionRequestsUsd: nonNegative().optional(),
  pricePerGbSecondUsd: nonNegative().optional(),
  /** memory configured per function instance, GiB (billed in GB-seconds) */
  memoryGiB: positive().default(2),
  /** speed of one function instance relative to one measured instance (usually < 1: fewer cores) */
  speedFactor: positive().default(1),
  /** billed duration is rounded up to this, ms */
  billingGranularityMs: positive().default(1),
  /** extra latency of a request that lands on a cold function (boot + model load), ms */
  coldStartMs: nonNegative().default(1500),
  /** share of requests that hit a cold start (from your provider's metrics) */
  coldStartShare: z.number().min(0).max(1).default(0.01),
  maxPayloadBytes: positive().optional(),
  maxDurationS: positive().optional(),
  maxConcurrency: z.number().int().min(1).optional(),
}).strict();

export const autoscalingSchema = z.object({
  /** scale replicas per hour of the daily profile */
  enabled: z.boolean().default(true),
  /** time to add capacity (boot + health check), seconds: scale-ups start this early */
  scaleLagS: nonNegative().default(300),
  minReplicas: z.number().int().min(1).default(1),
}).strict();

export const budgetSchema = z.object({
  monthlyUsd: positive().optional(),
  perMillionUsd: positive().optional(),
}).strict();

export const accuracySchema = z.object({
  /** precisions the planner may pick (each variant must also be within the sweep's accuracy budget) */
  precisions: z.array(precisionSchema).min(1).default(['fp32', 'fp16', 'fp16-weights', 'int8', 'int8-per-channel']),
  /** drop variants the sweep flagged as over its accuracy budget */
  requireWithinBudget: z.boolean().default(true),
}).strict();

export const workloadSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  model: workloadModelSchema,
  sla: slaSchema,
  callers: callersSchema,
  freshness: freshnessSchema.default({}),
  /** every input can be enumerated before it is asked for (user ids, a customer table) */
  inputsKnownAhead: z.boolean().default(false),
  traffic: trafficSchema.optional(),
  payload: payloadSchema.default({ requestBytes: 0, responseBytes: 0 }),
  /** share of requests answerable from a precomputed store (0..1) */
  cacheHitShare: z.number().min(0).max(1).default(0),
  overheads: overheadsSchema.default({ networkMs: 0, preProcessMs: 0, postProcessMs: 0 }),
  schedule: scheduleSchema.optional(),
  instances: z.array(instanceTypeSchema).default([]),
  serverless: serverlessSchema.optional(),
  /** spare replicas kept for failures (1 = N+1) */
  redundancyReplicas: z.number().int().min(0).default(1),
  /** capacity added on top of today's peak for growth, percent */
  growthMarginPct: nonNegative().default(0),
  autoscaling: autoscalingSchema.default({ enabled: true, scaleLagS: 300, minReplicas: 1 }),
  budget: budgetSchema.optional(),
  accuracy: accuracySchema.default({ precisions: ['fp32', 'fp16', 'fp16-weights', 'int8', 'int8-per-channel'], requireWithinBudget: true }),
}).strict().superRefine((w, ctx) => {
  const names = new Set<string>();
  w.instances.forEach((it, i) => {
    if (names.has(it.name)) ctx.addIssue({ code: 'custom', path: ['instances', i, 'name'], message: `duplicate instance name "${it.name}"` });
    names.add(it.name);
  });
  if (!w.traffic && !w.schedule) {
    ctx.addIssue({ code: 'custom', path: ['traffic'], message: 'missing traffic: give traffic (a request stream) or schedule (a batch per period)' });
  }
});

/** A validated workload with defaults filled in. */
export type Workload = z.output<typeof workloadSchema>;
/** What a workload file may contain (defaults optional). */
export type WorkloadInput = z.input<typeof workloadSchema>;
export type InstanceType = z.output<typeof instanceTypeSchema>;
export type ServerlessSpec = z.output<typeof serverlessSchema>;
