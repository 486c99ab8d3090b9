// Bundled recordings of the scenarios' measurements (real quick sweeps captured with the CLI by
// scripts/capture-learn-recordings.ts, histograms dropped, labelled with the machine), so every
// scenario works offline. Pure: JSON modules load in Node and in the renderer bundle alike.
import { notFound } from '../errors.ts';
import type { SweepRunResult } from '../types.ts';
import mlpSmall from './recordings/mlp-small.json' with { type: 'json' };
import mlpLarge from './recordings/mlp-large.json' with { type: 'json' };
import sileroVad from './recordings/silero-vad.json' with { type: 'json' };
import cnnMedium from './recordings/cnn-medium.json' with { type: 'json' };
import bertSmall from './recordings/bert-small.json' with { type: 'json' };

export interface RecordingLabel {
  note: string;
  /** the machine the sweep ran on */
  machine: string;
  capturedAt: string;
  /** the CLI command that made it */
  command: string;
}

export type Recording = SweepRunResult & { recording: RecordingLabel };

const RECORDINGS: Record<string, unknown> = {
  'mlp-small': mlpSmall, 'mlp-large': mlpLarge, 'silero-vad': sileroVad, 'cnn-medium': cnnMedium, 'bert-small': bertSmall,
};

/** Measurement ids that have a bundled recording. */
export const RECORDING_IDS: readonly string[] = Object.keys(RECORDINGS);

/** The bundled recording of a scenario measurement (a deep copy: callers may change it). */
export function loadRecording(measurementId: string): Recording {
  const r = RECORDINGS[measurementId];
  if (!r) throw notFound(`no bundled recording for measurement "${measurementId}"; recordings exist for ${RECORDING_IDS.join(', ')}`);
  return structuredClone(r) as Recording;
}
