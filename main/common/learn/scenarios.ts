// The guided scenarios, as data: the situation, the question, what to look at, the small real
// measurement each one runs (quick sweeps, well under a minute on a 2-core machine), the shipped
// workloads it plans, and the steps that walk through the result. Figures in {braces} are filled
// from the real measurement (or a bundled recording) by walkthrough.ts.
import { invalidInput } from '../errors.ts';
import type { QueuePreset, Scenario } from './types.ts';

const MLP_SMALL = {
  id: 'mlp-small', model: 'mlp-small', batch: [1, 4, 16, 64, 256],
  why: 'a small ranking MLP: the kind of model that scores candidate items or customers',
};
const MLP_LARGE = {
  id: 'mlp-large', model: 'mlp-large', batch: [1, 16, 64, 256],
  why: 'a larger ranking MLP, heavy enough that precomputing pays',
};
const SILERO = {
  id: 'silero-vad', model: 'silero-vad', batch: [1, 8, 32], inputs: [{ name: 'sr', value: 16000 }],
  why: 'Silero voice-activity detection, a real LSTM model run on every audio frame',
};
const CNN = {
  id: 'cnn-medium', model: 'cnn-medium', batch: [1, 2, 4],
  why: 'an image CNN standing in for a scan classifier',
};
const BERT = {
  id: 'bert-small', model: 'bert-small', batch: [1, 4], precision: ['fp32' as const, 'int8' as const],
  why: 'a small transformer text classifier, measured in fp32 and dynamically quantised int8',
};

/** The restaurant analogy's queue: a pan takes 8 ms + 2 ms per order, at 60 % load (its figures and its view). */
const KITCHEN_QUEUE: QueuePreset = { synthetic: { fixedMs: 8, perItemMs: 2 }, loadFraction: 0.6, cv: 1, maxBatch: 8, maxDelayMs: 2, instances: 1 };
/** Silero VAD's measured curve under 80 % load, two instances (the voice scenario's figures and view). */
const VAD_QUEUE: QueuePreset = { measurement: 'silero-vad', loadFraction: 0.8, cv: 1, maxBatch: 8, maxDelayMs: 2, instances: 2 };

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'restaurant',
    title: 'The restaurant: cook each order now, or a catered tray?',
    tagline: 'Real-time vs batch with one model: latency per order vs meals per hour.',
    situation: 'A kitchen can cook each order the moment it arrives (à la carte: real-time serving) or cook 200 meals at once for a catered event (a tray: batch). The same small ranking model serves a product page that waits for its answer, and a weekly job that scores every customer.',
    question: 'Why is the same model served one request at a time for one workload and in huge batches for the other?',
    lookAt: 'Throughput per batch size (meals per hour), the latency of one order, and the two verdicts.',
    measurements: [MLP_SMALL],
    workloads: [
      { key: 'product-page-recs', workload: 'product-page-recs', measurement: 'mlp-small', role: 'à la carte: the product page waits for each answer' },
      { key: 'weekly-churn', workload: 'weekly-churn', measurement: 'mlp-small', role: 'the catered tray: score every customer once a week' },
    ],
    steps: [
      { title: 'The situation', text: 'Two kitchens, one recipe. Orders at the product page must come back while the customer waits; the weekly churn job only needs every customer scored by Monday.', figures: [], view: { kind: 'intro' }, terms: ['serving-modes'] },
      { title: 'Measure the kitchen', text: 'We time {model} on this machine at batch 1 up to 256 (a quick closed-loop sweep: each instance cooks back to back). Measured on {machine}.', figures: [{ key: 'model', label: 'model', kind: 'model', measurement: 'mlp-small' }, { key: 'machine', label: 'machine', kind: 'machine', measurement: 'mlp-small' }], view: { kind: 'measure' }, terms: ['cold-start'] },
      {
        title: 'One order vs a tray',
        text: 'Cooking one order at a time gives {t1} samples/s; trays of {best} give {tBest} samples/s, {ratio} as much food per hour. But a tray takes longer to come out: p99 {l1} for one order vs {lBest} for the whole tray.',
        figures: [
          { key: 't1', label: 'throughput at batch 1', kind: 'throughput', measurement: 'mlp-small', batch: 1 },
          { key: 'best', label: 'best batch', kind: 'bestBatch', measurement: 'mlp-small' },
          { key: 'tBest', label: 'best throughput', kind: 'throughput', measurement: 'mlp-small', batch: 'best' },
          { key: 'ratio', label: 'best / batch 1', kind: 'throughputRatio', measurement: 'mlp-small', a: { batch: 'best' }, b: { batch: 1 } },
          { key: 'l1', label: 'p99 at batch 1', kind: 'latency', measurement: 'mlp-small', batch: 1, stat: 'p99' },
          { key: 'lBest', label: 'p99 at the best batch', kind: 'latency', measurement: 'mlp-small', batch: 'best', stat: 'p99' },
        ],
        view: { kind: 'batch', measurement: 'mlp-small' }, terms: ['throughput', 'latency-percentiles'],
      },
      {
        title: 'Orders arriving at the pass',
        text: 'The analogy in motion: a pan takes 8 ms plus 2 ms per order, and orders arrive at random (Poisson) at 60 % of what the kitchen can cook. With a dynamic batcher (up to 8 per pan, wait at most 2 ms) the cook groups orders that arrive together: p99 {p99}, pans hold {batch} orders on average. Push the load slider towards 100 % and watch the queue and the tail explode: the knee.',
        figures: [
          { key: 'p99', label: 'simulated p99', kind: 'simulated', stat: 'p99', preset: KITCHEN_QUEUE },
          { key: 'batch', label: 'mean batch formed', kind: 'simulated', stat: 'meanBatch', preset: KITCHEN_QUEUE },
        ],
        view: { kind: 'queue', preset: KITCHEN_QUEUE },
        terms: ['dynamic-batching', 'utilization', 'knee'],
      },
      {
        title: 'Two verdicts from one model',
        text: 'Product page: {v1}, {c1}, {p1}. Weekly churn: {v2}, {c2}. Same model, same machine: what differs is whether someone is waiting for the answer.',
        figures: [
          { key: 'v1', label: 'product page verdict', kind: 'verdict', workload: 'product-page-recs' },
          { key: 'c1', label: 'product page cost', kind: 'plan', workload: 'product-page-recs', field: 'monthlyCostUsd' },
          { key: 'p1', label: 'product page predicted latency', kind: 'plan', workload: 'product-page-recs', field: 'slaLatencyMs' },
          { key: 'v2', label: 'weekly churn verdict', kind: 'verdict', workload: 'weekly-churn' },
          { key: 'c2', label: 'weekly churn cost', kind: 'plan', workload: 'weekly-churn', field: 'monthlyCostUsd' },
        ],
        view: { kind: 'verdicts', workloads: ['product-page-recs', 'weekly-churn'] }, terms: ['sla', 'serving-modes'],
      },
    ],
  },
  {
    id: 'ecommerce-recs',
    title: 'E-commerce recommendations: product page vs nightly precompute',
    tagline: 'The same traffic served live or from last night\'s store: what freshness costs.',
    situation: 'A shop shows recommendations in two places: ranking candidates while the product page renders (the session decides the candidates), and a "for you" list per user that can be computed the night before and read from a key-value store.',
    question: 'When is precomputing every answer cheaper than answering live, and what would serving the "for you" list live cost?',
    lookAt: 'The latency-vs-throughput curves against the 50 ms SLA, then the two verdicts and the real-time price of the nightly workload.',
    measurements: [MLP_SMALL, MLP_LARGE],
    workloads: [
      { key: 'product-page-recs', workload: 'product-page-recs', measurement: 'mlp-small', role: 'product page: rank candidates while the page renders' },
      { key: 'nightly-recs', workload: 'nightly-recs', measurement: 'mlp-large', role: 'nightly precompute: top-N for every user, read from a store' },
    ],
    steps: [
      { title: 'The situation', text: 'Live ranking needs an answer in 50 ms at p99; the "for you" list tolerates yesterday\'s answers (36 h), and every user is known ahead of time.', figures: [], view: { kind: 'intro' }, terms: ['sla', 'serving-modes'] },
      { title: 'Measure both rankers', text: 'Quick sweeps of {m1} and {m2} along the batch axis on {machine}.', figures: [{ key: 'm1', label: 'model', kind: 'model', measurement: 'mlp-small' }, { key: 'm2', label: 'model', kind: 'model', measurement: 'mlp-large' }, { key: 'machine', label: 'machine', kind: 'machine', measurement: 'mlp-small' }], view: { kind: 'measure' } },
      {
        title: 'Both fit the SLA comfortably',
        text: 'At batch 1 the small ranker answers in {s1} (p99) and the large one in {l1}: both far under the {sla} budget. Batching the large ranker to {lb} lifts it to {lt} samples/s.',
        figures: [
          { key: 's1', label: 'mlp-small p99 at batch 1', kind: 'latency', measurement: 'mlp-small', batch: 1, stat: 'p99' },
          { key: 'l1', label: 'mlp-large p99 at batch 1', kind: 'latency', measurement: 'mlp-large', batch: 1, stat: 'p99' },
          { key: 'sla', label: 'SLA', kind: 'workload', workload: 'product-page-recs', field: 'sla' },
          { key: 'lb', label: 'mlp-large best batch', kind: 'bestBatch', measurement: 'mlp-large' },
          { key: 'lt', label: 'mlp-large best throughput', kind: 'throughput', measurement: 'mlp-large', batch: 'best' },
        ],
        view: { kind: 'curve', series: [{ measurement: 'mlp-small' }, { measurement: 'mlp-large' }], slaOf: 'product-page-recs' }, terms: ['latency-percentiles', 'throughput'],
      },
      {
        title: 'The verdicts',
        text: 'Product page: {v1}, {c1} (the session decides the candidates, so nothing can be precomputed). "For you": {v2}, {c2}. Serving that list live instead: {rt}. Freshness you do not need is expensive.',
        figures: [
          { key: 'v1', label: 'product page verdict', kind: 'verdict', workload: 'product-page-recs' },
          { key: 'c1', label: 'product page cost', kind: 'plan', workload: 'product-page-recs', field: 'monthlyCostUsd' },
          { key: 'v2', label: 'nightly verdict', kind: 'verdict', workload: 'nightly-recs' },
          { key: 'c2', label: 'nightly cost', kind: 'plan', workload: 'nightly-recs', field: 'monthlyCostUsd' },
          { key: 'rt', label: 'nightly workload served in real time', kind: 'plan', workload: 'nightly-recs', mode: 'realtime', field: 'monthlyCostUsd' },
        ],
        view: { kind: 'verdicts', workloads: ['product-page-recs', 'nightly-recs'] }, terms: ['serving-modes'],
      },
      {
        title: 'Why the live fleet is sized on the peak',
        text: 'The product page peaks at {peak} (evening), not its {mean} mean, and arrivals are bursty. The planner sizes on the peak and simulates the bursts: {why}',
        figures: [
          { key: 'peak', label: 'peak rate', kind: 'workload', workload: 'product-page-recs', field: 'peakRate' },
          { key: 'mean', label: 'mean rate', kind: 'workload', workload: 'product-page-recs', field: 'meanRate' },
          { key: 'why', label: 'planner', kind: 'explanation', workload: 'product-page-recs', line: 0 },
        ],
        view: { kind: 'queue', preset: { measurement: 'mlp-small', loadFraction: 0.7, cv: 1.3, maxBatch: 16, maxDelayMs: 2, instances: 1 } },
        terms: ['burstiness', 'knee'],
      },
    ],
  },
  {
    id: 'large-scans',
    title: 'Large scans: nobody should wait on the upload',
    tagline: 'Deferred serving: a job queue with a deadline instead of a synchronous endpoint.',
    situation: 'A clinic uploads CT/MRI series of about 150 MB; radiologists need the classification on their worklist within 10 minutes.',
    question: 'Why not answer while the upload connection is open, and what does a job queue buy?',
    lookAt: 'The upload time against any interactive SLA, the model time per scan, and the deferred plan.',
    measurements: [CNN],
    workloads: [{ key: 'medical-scans', workload: 'medical-scans', measurement: 'cnn-medium', role: 'scans uploaded by clinics, results within 10 minutes' }],
    steps: [
      { title: 'The situation', text: 'Uploads are huge, traffic follows clinic hours and comes in bursts, and a 10-minute deadline is fine.', figures: [], view: { kind: 'intro' }, terms: ['serving-modes'] },
      { title: 'Measure the scan model', text: 'A quick sweep of {model} at batch 1, 2 and 4 on {machine}.', figures: [{ key: 'model', label: 'model', kind: 'model', measurement: 'cnn-medium' }, { key: 'machine', label: 'machine', kind: 'machine', measurement: 'cnn-medium' }], view: { kind: 'measure' } },
      {
        title: 'The model is not the bottleneck',
        text: 'One scan takes {l1} at p99 here, but uploading it takes {upload}. No synchronous endpoint should hold a connection that long, and the payload is over its size limit anyway.',
        figures: [
          { key: 'l1', label: 'p99 at batch 1', kind: 'latency', measurement: 'cnn-medium', batch: 1, stat: 'p99' },
          { key: 'upload', label: 'upload time', kind: 'workload', workload: 'medical-scans', field: 'uploadMs' },
        ],
        view: { kind: 'batch', measurement: 'cnn-medium' }, terms: ['latency-percentiles'],
      },
      {
        title: 'A job queue with a deadline',
        text: 'Verdict: {v}, {c}. Real-time: {rtReason}. The deadline lets the queue absorb bursts and run the machines near full batch capacity, scaling to zero at night.',
        figures: [
          { key: 'v', label: 'verdict', kind: 'verdict', workload: 'medical-scans' },
          { key: 'c', label: 'monthly cost', kind: 'plan', workload: 'medical-scans', field: 'monthlyCostUsd' },
          { key: 'rtReason', label: 'why not real-time', kind: 'plan', workload: 'medical-scans', mode: 'realtime', field: 'reason' },
        ],
        view: { kind: 'verdicts', workloads: ['medical-scans'] }, terms: ['serving-modes', 'utilization'],
      },
    ],
  },
  {
    id: 'voice-assistant',
    title: 'Chatbot and voice assistant: always real-time',
    tagline: 'A tiny model, a huge request rate, a user who is talking right now.',
    situation: 'A voice assistant runs voice-activity detection on every 96 ms audio frame of about 6 000 open streams: it must know within tens of milliseconds whether the user is still talking.',
    question: 'Nothing can be precomputed and nobody polls for a result: how do you serve 60 000 tiny requests a second cheaply?',
    lookAt: 'Latency at batch 1 vs the 30 ms SLA, how dynamic batching raises capacity, and the real-time plan.',
    measurements: [SILERO],
    workloads: [{ key: 'voice-vad', workload: 'voice-vad', measurement: 'silero-vad', role: 'VAD on every audio frame of every open stream' }],
    steps: [
      { title: 'The situation', text: 'The conversation happens now: a result that arrives later is useless. Real-time is the only mode; the question is how many machines.', figures: [], view: { kind: 'intro' }, terms: ['sla', 'serving-modes'] },
      { title: 'Measure the VAD model', text: 'A quick sweep of {model} at batch 1, 8 and 32 (sample rate pinned to 16 kHz) on {machine}.', figures: [{ key: 'model', label: 'model', kind: 'model', measurement: 'silero-vad' }, { key: 'machine', label: 'machine', kind: 'machine', measurement: 'silero-vad' }], view: { kind: 'measure' } },
      {
        title: 'Tiny per request, huge in total',
        text: 'One frame takes {l1} (p99) at batch 1: {t1} frames/s per instance. Batching to {best} gives {tb} frames/s. The SLA is {sla}, so there is room to wait a few milliseconds for company.',
        figures: [
          { key: 'l1', label: 'p99 at batch 1', kind: 'latency', measurement: 'silero-vad', batch: 1, stat: 'p99' },
          { key: 't1', label: 'throughput at batch 1', kind: 'throughput', measurement: 'silero-vad', batch: 1 },
          { key: 'best', label: 'best batch', kind: 'bestBatch', measurement: 'silero-vad' },
          { key: 'tb', label: 'best throughput', kind: 'throughput', measurement: 'silero-vad', batch: 'best' },
          { key: 'sla', label: 'SLA', kind: 'workload', workload: 'voice-vad', field: 'sla' },
        ],
        view: { kind: 'curve', series: [{ measurement: 'silero-vad' }], slaOf: 'voice-vad' }, terms: ['dynamic-batching', 'throughput'],
      },
      {
        title: 'Batching under a deadline',
        text: 'At 80 % load with 2 instances, max batch 8 and a 2 ms delay, the simulator predicts p99 {p99} with batches of {mb} on average. Move the delay slider: a longer wait forms bigger batches (more capacity) and adds to every request\'s latency.',
        figures: [
          { key: 'p99', label: 'simulated p99', kind: 'simulated', stat: 'p99', preset: VAD_QUEUE },
          { key: 'mb', label: 'mean batch', kind: 'simulated', stat: 'meanBatch', preset: VAD_QUEUE },
        ],
        view: { kind: 'queue', preset: VAD_QUEUE },
        terms: ['dynamic-batching', 'latency-percentiles', 'knee'],
      },
      {
        title: 'The plan',
        text: '{v}: {c} for {rate} at peak, with {cfg}. Binding constraint: {why}.',
        figures: [
          { key: 'v', label: 'verdict', kind: 'verdict', workload: 'voice-vad' },
          { key: 'c', label: 'monthly cost', kind: 'plan', workload: 'voice-vad', field: 'monthlyCostUsd' },
          { key: 'rate', label: 'peak rate', kind: 'workload', workload: 'voice-vad', field: 'peakRate' },
          { key: 'cfg', label: 'configuration', kind: 'plan', workload: 'voice-vad', field: 'config' },
          { key: 'why', label: 'binding constraint', kind: 'plan', workload: 'voice-vad', field: 'bindingConstraint' },
        ],
        view: { kind: 'verdicts', workloads: ['voice-vad'] }, terms: ['goodput', 'serving-modes'],
      },
    ],
  },
  {
    id: 'int8',
    title: 'Is int8 worth it here?',
    tagline: 'Quantisation: how much faster, how much accuracy, and does it change the bill?',
    situation: 'An intent classifier updates a hint on every keystroke, within half a 60 Hz frame: an 8 ms p95 budget end to end, of which 5 ms is network and 1 ms tokenization. Dynamic int8 quantisation promises a faster model.',
    question: 'How much faster is int8 on this machine, what does it cost in accuracy, and does it change the plan?',
    lookAt: 'The fp32 and int8 curves side by side, the cosine similarity to fp32, and the plan with and without int8 allowed.',
    measurements: [BERT],
    workloads: [
      { key: 'int8-allowed', workload: 'interactive-classifier', measurement: 'bert-small', role: 'fp32 and int8 allowed' },
      { key: 'fp32-only', workload: 'interactive-classifier', measurement: 'bert-small', role: 'fp32 only', override: { accuracy: { precisions: ['fp32'], requireWithinBudget: true } } },
    ],
    steps: [
      { title: 'The situation', text: 'Every keystroke asks the model for the intent. The SLA is {sla} end to end; after the network and tokenization, the model server has {budget} at p95.', figures: [{ key: 'sla', label: 'SLA', kind: 'workload', workload: 'int8-allowed', field: 'sla' }, { key: 'budget', label: 'model budget', kind: 'workload', workload: 'int8-allowed', field: 'budgetMs' }], view: { kind: 'intro' }, terms: ['sla', 'latency-percentiles'] },
      { title: 'Measure fp32 and int8', text: 'A quick sweep of {model} at batch 1 and 4, fp32 and int8 (weights of MatMul/Gemm quantised dynamically), with int8 outputs compared to fp32 on the same inputs. Machine: {machine}.', figures: [{ key: 'model', label: 'model', kind: 'model', measurement: 'bert-small' }, { key: 'machine', label: 'machine', kind: 'machine', measurement: 'bert-small' }], view: { kind: 'measure' }, terms: ['cold-start'] },
      {
        title: 'How much faster?',
        text: 'At batch 1 (one thread): fp32 p95 {f1}, int8 p95 {i1}, against the {budget} the model may take; int8 serves {speedup} the requests per second. Accuracy: int8 outputs have cosine similarity {cos} to fp32 (the default budget is 0.99).',
        figures: [
          { key: 'f1', label: 'fp32 p95 at batch 1', kind: 'latency', measurement: 'bert-small', batch: 1, stat: 'p95', precision: 'fp32' },
          { key: 'i1', label: 'int8 p95 at batch 1', kind: 'latency', measurement: 'bert-small', batch: 1, stat: 'p95', precision: 'int8' },
          { key: 'budget', label: 'model budget', kind: 'workload', workload: 'int8-allowed', field: 'budgetMs' },
          { key: 'speedup', label: 'int8 / fp32 throughput at batch 1', kind: 'throughputRatio', measurement: 'bert-small', a: { batch: 1, precision: 'int8' }, b: { batch: 1, precision: 'fp32' } },
          { key: 'cos', label: 'int8 cosine vs fp32', kind: 'accuracy', measurement: 'bert-small', precision: 'int8' },
        ],
        view: { kind: 'curve', series: [{ measurement: 'bert-small', precision: 'fp32' }, { measurement: 'bert-small', precision: 'int8' }], slaOf: 'int8-allowed' },
        terms: ['latency-percentiles', 'throughput'],
      },
      {
        title: 'Does it change the plan?',
        text: 'fp32 only: {vf}, {cf}; gap at zero load: {gf}. With int8 allowed: {vi}, {ci}; gap: {gi}. That difference, and the accuracy figure, is the answer for this machine; on a faster CPU or a GPU the answer can flip.',
        figures: [
          { key: 'vf', label: 'fp32-only verdict', kind: 'verdict', workload: 'fp32-only' },
          { key: 'cf', label: 'fp32-only cost', kind: 'plan', workload: 'fp32-only', field: 'monthlyCostUsd' },
          { key: 'vi', label: 'int8-allowed verdict', kind: 'verdict', workload: 'int8-allowed' },
          { key: 'ci', label: 'int8-allowed cost', kind: 'plan', workload: 'int8-allowed', field: 'monthlyCostUsd' },
          { key: 'gf', label: 'fp32-only SLA gap', kind: 'slaGap', workload: 'fp32-only' },
          { key: 'gi', label: 'int8-allowed SLA gap', kind: 'slaGap', workload: 'int8-allowed' },
        ],
        view: { kind: 'verdicts', workloads: ['fp32-only', 'int8-allowed'] }, terms: ['sla', 'goodput'],
      },
    ],
  },
];

/** The scenario with this id, or an invalid-input error listing the ids. */
export function findScenario(id: string): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw invalidInput(`unknown scenario "${id}"; choose one of: ${SCENARIOS.map((x) => x.id).join(', ')} (kneepoint demo --list)`);
  return s;
}
