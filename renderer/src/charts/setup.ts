// Chart.js registration and theme: colours come from CSS variables so light/dark both work.
import { Chart, registerables } from 'chart.js';
import type { ChartConfiguration, ChartType } from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';

Chart.register(...registerables, annotationPlugin);

export const PALETTE = ['#3b82f6', '#f97316', '#10b981', '#a855f7', '#ef4444', '#14b8a6', '#eab308', '#ec4899', '#6366f1', '#84cc16'];
export const colorAt = (i: number) => PALETTE[i % PALETTE.length];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function applyTheme(): void {
  Chart.defaults.color = cssVar('--muted', '#667');
  Chart.defaults.borderColor = cssVar('--grid', '#e5e7eb');
  Chart.defaults.font.family = cssVar('--font', 'system-ui, sans-serif');
  for (const c of Object.values(Chart.instances)) c.update('none');
}

/** Every chart: no animation (large runs stay smooth), responsive, labelled axes. */
export function makeChart<T extends ChartType>(canvas: HTMLCanvasElement, config: ChartConfiguration<T>): Chart<T> {
  config.options = { animation: false, responsive: true, maintainAspectRatio: false, ...config.options } as typeof config.options;
  return new Chart(canvas, config);
}

export function axis(title: string, extra: Record<string, unknown> = {}) {
  return { title: { display: true, text: title }, ...extra };
}

export { Chart };
