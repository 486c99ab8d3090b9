// "Check this prediction": a quick `validate` of the plan's model on this machine (or on the target its curves were measured on), run as an engine
// job with progress and Cancel; when it finishes the plan is made again, now with the validate
// run's calibration and its checked error ("checked by validate run X …").
import type { ViewContext } from '../viewContext.ts';
import { h, toast } from '../dom.ts';

/** Expected duration of a quick validate of a ~1 ms model here (see engine/plan/planRun.ts). */
const QUICK_VALIDATE_SECONDS = 90;

/** `target`: the curves were measured on that remote target, so the check runs there too. */
export function checkPredictionButton(ctx: ViewContext, modelId: string, onChecked: () => void, target?: string): HTMLElement {
  const status = h('span', { class: 'muted small', role: 'status', 'data-testid': 'check-status' });
  const cancel = h('button', { type: 'button', class: 'btn', hidden: true }, 'Cancel');
  let jobId = '';
  const btn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'check-prediction' }, `Check this prediction (quick validate, about ${QUICK_VALIDATE_SECONDS} s)`);
  cancel.addEventListener('click', () => { if (jobId) void ctx.api.cancelJob({ jobId }); });
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    status.textContent = `Starting a quick validate of ${modelId}${target ? ` on target ${target}` : ''}…`;
    try {
      const job = await ctx.api.startValidate({ model: modelId, quick: true, ...(target ? { target } : {}) });
      jobId = job.jobId;
      cancel.hidden = false;
      const offs = [
        ctx.api.on('job.progress', (e) => { if (e.jobId === jobId) status.textContent = `Validating ${modelId}: ${e.phase} (step ${e.done} of ${e.total})`; }),
        ctx.api.on('job.finished', (e) => {
          if (e.jobId !== jobId) return;
          for (const off of offs) off();
          cancel.hidden = true;
          btn.disabled = false;
          if (e.status === 'completed') { status.textContent = `Validate run ${e.runId} finished: planning again with its calibration.`; onChecked(); return; }
          status.textContent = `The validate run ended ${e.status}${e.error ? `: ${e.error}` : ''}.`;
        }),
      ];
      ctx.onLeave(() => { for (const off of offs) off(); });
    } catch (err) {
      btn.disabled = false;
      status.textContent = '';
      toast((err as Error).message, 'error');
    }
  });
  return h('div', { class: 'row wrap', 'data-testid': 'check-prediction-box' }, btn, cancel, status);
}
