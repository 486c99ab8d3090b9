// The definitions every report states (MEASUREMENT.md rule 5: each tool defines p99 and throughput
// differently; Kneepoint says what it means). Same wording and numbers as docs/methodology.md;
// test/unit/report-method.test.ts checks the two agree on the formulas and thresholds.
import { MIN_SAMPLES_P99, MIN_SAMPLES_P999 } from '../../common/stats/thresholds.ts';

export interface Definition {
  term: string;
  text: string;
}

export const METHOD_DEFINITIONS: readonly Definition[] = [
  {
    term: 'Latency',
    text: 'Per request: the wall time of one session.run() call, which carries `batch` samples. Closed-loop figures are service times on this machine, not the latency a remote user feels (add network, queueing and pre/post-processing).',
  },
  {
    term: 'Throughput',
    text: 'Completed samples / window wall time (samples/s), counted, not derived. Requests/s = completed requests / window wall time; samples = requests × batch.',
  },
  {
    term: 'Percentiles',
    text: 'Nearest rank on the sorted latencies of the reported windows: pX = x[ceil(n·X) − 1], always an observed value, no interpolation. p0 is the minimum, p100 the maximum.',
  },
  {
    term: 'Sample counts',
    text: `p99 needs ${MIN_SAMPLES_P99} samples and p99.9 needs ${MIN_SAMPLES_P999} (MLPerf early stopping at 99 % confidence with one miss). p99.9 is not reported below ${MIN_SAMPLES_P999} samples; a p99 from fewer than ${MIN_SAMPLES_P99} samples is indicative and its confidence interval says how much.`,
  },
  {
    term: 'Confidence interval',
    text: 'Distribution-free 95 % interval of p99 from binomial order-statistic ranks: [x(l), x(u)] with the number of samples below the true p99 ~ Binomial(n, 0.99). No interval is given when n is too small (below 368 samples).',
  },
  {
    term: 'Warm-up',
    text: 'Every point re-warms (new batch, threads, precision or provider): at least 10 runs, until the median of the last 10 runs differs from the median of the 10 before by less than 5 %. Warm-up runs are counted and never reported.',
  },
  {
    term: 'Stability',
    text: 'Samples are taken in windows (≥ 1 s and ≥ 50 completions by default). A point is stable when the last 3 windows agree within 10 % on throughput and on p99 (a larger p99 spread counts as agreement only when a test of one shared p99 does not reject it, with windows of at least 500 requests: sampling error, not drift). A point that does not settle within the window limit is kept and marked unstable; it is never dropped or silently trusted.',
  },
  {
    term: 'Little\'s law',
    text: 'In a closed loop every instance is busy, so requests/s × mean latency should equal the number of instances. Gaps over 10 % are flagged (harness overhead or mis-counted time).',
  },
  {
    term: 'Noise',
    text: 'An anchor point is re-measured at the end of a sweep; if it drifted more than the tolerance, the whole sweep is marked noisy.',
  },
  {
    term: 'Histograms',
    text: 'Each point keeps an HDR histogram of latency in integer µs (3 significant digits), so any statistic can be recomputed from the stored run.',
  },
];

/** Flags shown in the table, with what each means for a reader. */
export const FLAG_MEANINGS: Readonly<Record<string, string>> = {
  unstable: 'the last windows did not agree within the tolerance: treat the figures as indicative',
  failed: 'the point did not produce a measurement (reason in the notes)',
  noisy: 'the anchor point drifted between the start and the end of the sweep',
  'few samples': `fewer than ${MIN_SAMPLES_P99} requests: p99 is indicative`,
  'over budget': 'lower precision lost more accuracy than the sweep\'s budget allows; excluded from plans',
  'Little gap': 'Little\'s law gap over 10 %',
  approximated: 'imported without a histogram: the distribution is approximated from a few percentiles',
};
