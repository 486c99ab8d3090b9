// "Export deployment" in the Plan view: the plan as a Triton config.pbtxt, a KServe
// InferenceService, Kubernetes objects or a Ray Serve config, validated by the engine, each value
// with its provenance in a comment. A mode with no such target says so in plain words.
import type { ViewContext } from '../viewContext.ts';
import { DEPLOY_FORMATS, type DeployFormat } from '../../../main/common/deployTypes.ts';
import { h, toast } from '../dom.ts';
import { saveReport } from '../download.ts';

const LABEL: Record<DeployFormat, string> = { triton: 'Triton config.pbtxt', kserve: 'KServe InferenceService', k8s: 'Kubernetes (Deployment + HPA / CronJob / KEDA)', 'ray-serve': 'Ray Serve config' };

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** A format picker and an Export deployment button; `planId` gives the stored plan (it may store a what-if first). */
export function deployControls(ctx: ViewContext, planId: () => Promise<string>): HTMLElement {
  const fmt = h('select', { class: 'input', 'aria-label': 'Deployment format', 'data-testid': 'deploy-format' }, DEPLOY_FORMATS.map((f) => h('option', { value: f }, LABEL[f])));
  const status = h('span', { class: 'muted small', role: 'status', 'data-testid': 'deploy-status' });
  const btn = h('button', { type: 'button', class: 'btn', 'data-testid': 'export-deployment', onclick: async () => {
    btn.disabled = true;
    status.textContent = '';
    try {
      const r = await ctx.api.exportDeployment({ planId: await planId(), format: fmt.value as DeployFormat });
      for (const f of r.files) await saveReport(ctx, { fileName: f.name.split('/').pop()!, mime: 'text/plain', base64: toBase64(f.text) });
      status.textContent = `${r.files.map((f) => f.name).join(', ')}: validated (${r.validated.length} check${r.validated.length === 1 ? '' : 's'})${r.notes.length ? ` · ${r.notes.join(' · ')}` : ''}`;
    } catch (err) {
      // e.g. a scheduled batch has no KServe target: the engine says which format to use instead
      status.textContent = (err as Error).message;
      toast((err as Error).message, 'error');
    } finally {
      btn.disabled = false;
    }
  } }, 'Export deployment');
  return h('span', { class: 'row tight wrap', 'data-testid': 'deploy-controls' }, fmt, btn, status);
}
