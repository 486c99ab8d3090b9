// Report downloads: the desktop shell saves through its file dialog; a browser gets a download.
import type { ViewContext } from './viewContext.ts';
import { h, toast } from './dom.ts';

export type ReportFormat = 'html' | 'pdf' | 'json' | 'csv';

/** Saves an exportReport answer where the host puts files. */
export async function saveReport(ctx: ViewContext, r: { fileName: string; mime: string; base64: string }): Promise<void> {
  if (ctx.host.bridge) { const p = await ctx.host.bridge.saveFileDialog({ fileName: r.fileName, base64: r.base64 }); if (p) toast(`Saved ${p}`); return; }
  const bin = Uint8Array.from(atob(r.base64), (c) => c.charCodeAt(0));
  const a = h('a', { href: URL.createObjectURL(new Blob([bin], { type: r.mime })), download: r.fileName });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** A format picker and an Export button; `id` gives the run or plan id to export (it may store a plan first). */
export function exportControls(ctx: ViewContext, formats: readonly ReportFormat[], id: () => Promise<string>, opts: { label?: string; testId?: string } = {}): HTMLElement {
  const fmt = h('select', { class: 'input', 'aria-label': 'Export format' }, formats.map((f) => h('option', { value: f }, f.toUpperCase())));
  const btn = h('button', { type: 'button', class: 'btn', 'data-testid': opts.testId ?? null, onclick: async () => {
    btn.disabled = true;
    try { await saveReport(ctx, await ctx.api.exportReport({ id: await id(), format: fmt.value as ReportFormat })); }
    catch (err) { toast((err as Error).message, 'error'); }
    finally { btn.disabled = false; }
  } }, opts.label ?? 'Export');
  return h('span', { class: 'row tight' }, fmt, btn);
}
