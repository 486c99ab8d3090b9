// Draws one frame of the queue animation from a stepper snapshot: arrivals dropping in, the FIFO
// queue, each instance with the batch it is running (and how far along it is), and finished
// requests flying to the latency histogram. Pure drawing: no state besides the canvas.
import type { QueueSnapshot, SteppedRequest } from '../../../../main/common/learn/queueStepper.ts';

export interface FrameInfo {
  snap: QueueSnapshot;
  instances: number;
  maxBatch: number;
  maxDelayMs: number;
  /** simulated ms over which arrivals slide in and finished requests fly to the histogram */
  flightMs: number;
  /** completed latencies so far (for the histogram) */
  latenciesMs: number[];
  p50Ms: number;
  p99Ms: number;
  slaMs?: number;
}

function css(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

const ease = (x: number) => 1 - (1 - Math.min(1, Math.max(0, x))) ** 3;

/** Histogram bins (linear from 0 to a rounded max) of the latencies; returns counts and the max. */
export function histogramBins(latencies: number[], bins: number, p99Ms: number): { counts: number[]; maxMs: number } {
  const top = Number.isFinite(p99Ms) && p99Ms > 0 ? p99Ms * 1.6 : Math.max(1, ...latencies.slice(-200));
  const maxMs = niceCeil(top);
  const counts = new Array<number>(bins).fill(0);
  for (const l of latencies) counts[Math.min(bins - 1, Math.floor((l / maxMs) * bins))]++;
  return { counts, maxMs };
}

function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/**
 * Draws the first of `variants` that fits in `maxW` px (the last one cut with "…" if none does), so
 * lane titles never run into each other on a narrow canvas. Returns the [left, right] it used.
 */
function fitText(g: CanvasRenderingContext2D, variants: string[], x: number, y: number, maxW: number): [number, number] {
  let t = variants.find((v) => g.measureText(v).width <= maxW) ?? variants[variants.length - 1];
  while (t.length > 1 && g.measureText(t).width > maxW) t = `${t.slice(0, -2)}…`;
  g.fillText(t, x, y);
  return [x, x + g.measureText(t).width];
}

function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(3)} ms`;
}

export function drawQueueFrame(canvas: HTMLCanvasElement, f: FrameInfo): void {
  const dpr = window.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || 900;
  const cssH = canvas.clientHeight || 300;
  if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
  }
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  const W = cssW;
  const H = cssH;
  const text = css('--text', '#1b1f24');
  const muted = css('--muted', '#5d6672');
  const grid = css('--grid', '#e3e6ea');
  const panel2 = css('--panel-2', '#f1f3f6');
  const accent = css('--accent', '#2563eb');
  const good = css('--good', '#15803d');
  const bad = css('--bad', '#b91c1c');
  const orange = '#f97316';
  const font = css('--font', 'system-ui, sans-serif');
  g.clearRect(0, 0, W, H);
  const big = W > 1100;
  const labelPx = big ? 15 : 12.5;
  g.font = `600 ${labelPx}px ${font}`;
  g.textBaseline = 'top';

  const top = 28;
  const bottom = H - 14;
  const r = Math.max(4, Math.min(7, W / 180));
  const step = r * 2 + 3;
  const xQ0 = W * 0.04; // where arrivals appear
  const xQHead = W * 0.47; // head of the queue (rightmost queued)
  const xI0 = W * 0.52;
  const xI1 = W * 0.7;
  const xH0 = W * 0.75;
  const xH1 = W - 8;
  const now = f.snap.nowMs;

  // lane titles
  g.fillStyle = muted;
  const waiting = f.snap.queued.length + f.snap.queuedOverflow;
  const boxes = [
    fitText(g, [`queue: ${waiting} waiting · batcher sends ≤ ${f.maxBatch}, or whatever waited ${fmt(f.maxDelayMs)}`, `queue: ${waiting} waiting · batch ≤ ${f.maxBatch}`, `queue: ${waiting}`], xQ0, 6, xI0 - xQ0 - 10),
    fitText(g, [`${f.instances} instance${f.instances > 1 ? 's' : ''}`, `${f.instances} inst.`], xI0, 6, xH0 - xI0 - 10),
    fitText(g, ['latency histogram', 'latency'], xH0, 6, xH1 - xH0),
  ];
  // where the titles went, for the page's own checks (no overlap at any width)
  canvas.dataset.titleBoxes = JSON.stringify(boxes.map(([a, b]) => [Math.round(a), Math.round(b)]));

  // queue lane
  const laneY = top + (bottom - top) / 2;
  g.strokeStyle = grid;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(xQ0, laneY + r + 6);
  g.lineTo(xQHead + r, laneY + r + 6);
  g.stroke();
  const perRow = Math.max(1, Math.floor((xQHead - xQ0) / step));
  const rows = Math.max(1, Math.floor((bottom - top) / step));
  f.snap.queued.forEach((q: SteppedRequest, i) => {
    const row = Math.floor(i / perRow);
    if (row >= rows) return;
    const col = i % perRow;
    const targetX = xQHead - col * step;
    const targetY = laneY - (row % 2 === 0 ? 1 : -1) * Math.ceil(row / 2) * step;
    const age = (now - q.arrivalMs) / f.flightMs;
    const x = xQ0 + (targetX - xQ0) * ease(age * 2);
    // waiting longer than max delay: the batcher will send without a full batch
    const late = now - q.arrivalMs >= f.maxDelayMs;
    g.fillStyle = late ? orange : accent;
    g.beginPath();
    g.arc(x, targetY, r, 0, Math.PI * 2);
    g.fill();
  });
  if (f.snap.queuedOverflow > 0) {
    g.fillStyle = bad;
    g.fillText(`+${f.snap.queuedOverflow} more`, xQ0, bottom - labelPx);
  }
  for (const d of f.snap.recentlyDropped) {
    const t = (now - d.droppedMs) / f.flightMs;
    g.fillStyle = bad;
    g.globalAlpha = Math.max(0, 1 - t);
    g.beginPath();
    g.arc(xQ0 + 10, bottom - 10 - t * 20, r, 0, Math.PI * 2);
    g.fill();
    g.globalAlpha = 1;
  }

  // instances
  const boxGap = 6;
  const boxH = Math.min(90, ((bottom - top) - boxGap * (f.instances - 1)) / f.instances);
  const boxesTop = top + ((bottom - top) - (boxH * f.instances + boxGap * (f.instances - 1))) / 2;
  const instCenter: Array<{ x: number; y: number }> = [];
  for (let i = 0; i < f.instances; i++) {
    const y = boxesTop + i * (boxH + boxGap);
    const b = f.snap.running[i];
    g.fillStyle = panel2;
    g.strokeStyle = b ? accent : grid;
    g.lineWidth = b ? 2 : 1;
    roundRect(g, xI0, y, xI1 - xI0, boxH, 8);
    g.fill();
    g.stroke();
    instCenter.push({ x: (xI0 + xI1) / 2, y: y + boxH / 2 });
    if (b) {
      const p = Math.min(1, (now - b.dispatchMs) / Math.max(1e-9, b.doneMs - b.dispatchMs));
      g.fillStyle = accent;
      g.globalAlpha = 0.18;
      roundRect(g, xI0, y, (xI1 - xI0) * p, boxH, 8);
      g.fill();
      g.globalAlpha = 1;
      const cols = Math.max(1, Math.floor((xI1 - xI0 - 12) / step));
      const shown = Math.min(b.size, cols * Math.max(1, Math.floor((boxH - 8) / step)));
      g.fillStyle = accent;
      for (let j = 0; j < shown; j++) {
        g.beginPath();
        g.arc(xI0 + 6 + r + (j % cols) * step, y + 4 + r + Math.floor(j / cols) * step, r, 0, Math.PI * 2);
        g.fill();
      }
      g.fillStyle = text;
      g.font = `600 ${labelPx - 1}px ${font}`;
      const label = `batch ${b.size}`;
      g.fillText(label, xI1 - g.measureText(label).width - 6, y + boxH - labelPx - 3);
    } else {
      g.fillStyle = muted;
      g.font = `${labelPx - 1}px ${font}`;
      g.fillText('idle', xI0 + 8, y + boxH / 2 - labelPx / 2);
    }
    g.font = `600 ${labelPx}px ${font}`;
  }

  // histogram
  const bins = 24;
  const { counts, maxMs } = histogramBins(f.latenciesMs, bins, f.p99Ms);
  const hTop = top + 6;
  const hBottom = bottom - labelPx - 4;
  const maxCount = Math.max(1, ...counts);
  const bw = (xH1 - xH0) / bins;
  counts.forEach((c, i) => {
    const hgt = ((hBottom - hTop) * c) / maxCount;
    g.fillStyle = good;
    g.globalAlpha = 0.75;
    g.fillRect(xH0 + i * bw + 1, hBottom - hgt, bw - 2, hgt);
    g.globalAlpha = 1;
  });
  g.strokeStyle = grid;
  g.beginPath();
  g.moveTo(xH0, hBottom + 0.5);
  g.lineTo(xH1, hBottom + 0.5);
  g.stroke();
  g.fillStyle = muted;
  g.font = `${labelPx - 2}px ${font}`;
  g.fillText('0', xH0, hBottom + 3);
  const maxLabel = fmt(maxMs);
  g.fillText(maxLabel, xH1 - g.measureText(maxLabel).width, hBottom + 3);
  const marker = (ms: number, color: string, label: string, row: number) => {
    if (!Number.isFinite(ms) || ms > maxMs) return;
    const x = xH0 + (ms / maxMs) * (xH1 - xH0);
    g.strokeStyle = color;
    g.setLineDash([4, 3]);
    g.beginPath();
    g.moveTo(x, hTop);
    g.lineTo(x, hBottom);
    g.stroke();
    g.setLineDash([]);
    g.fillStyle = color;
    g.font = `600 ${labelPx - 2}px ${font}`;
    const w = g.measureText(label).width;
    g.fillText(label, Math.min(x + 3, xH1 - w), hTop + row * (labelPx + 2));
  };
  marker(f.p50Ms, text, `p50 ${fmt(f.p50Ms)}`, 0);
  marker(f.p99Ms, orange, `p99 ${fmt(f.p99Ms)}`, 1);
  if (f.slaMs !== undefined) marker(f.slaMs, bad, `SLA ${fmt(f.slaMs)}`, 2);

  // finished requests flying from their instance to their histogram bin
  for (const d of f.snap.recentlyDone) {
    const t = ease((now - d.doneMs) / f.flightMs);
    const from = instCenter[d.instance] ?? { x: xI1, y: laneY };
    const bin = Math.min(bins - 1, Math.floor((d.latencyMs / maxMs) * bins));
    const tx = xH0 + (bin + 0.5) * bw;
    const ty = hBottom - 4;
    g.fillStyle = good;
    g.globalAlpha = 1 - t * 0.6;
    g.beginPath();
    g.arc(from.x + (tx - from.x) * t, from.y + (ty - from.y) * t - Math.sin(t * Math.PI) * 30, r * 0.8, 0, Math.PI * 2);
    g.fill();
    g.globalAlpha = 1;
  }
}

function roundRect(g: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, rad: number): void {
  const rr = Math.min(rad, w / 2, h / 2);
  g.beginPath();
  g.moveTo(x + rr, y);
  g.arcTo(x + w, y, x + w, y + h, rr);
  g.arcTo(x + w, y + h, x, y + h, rr);
  g.arcTo(x, y + h, x, y, rr);
  g.arcTo(x, y, x + w, y, rr);
  g.closePath();
}
