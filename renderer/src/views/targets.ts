// Remote targets in the UI: the Overview card listing them with their last test, and the Sweep
// view's "run on" choice (this machine or a target). Targets are added and tested from the CLI
// (`kneepoint targets add|test`, docs/remote.md): ssh keys stay with ssh.
import type { KneepointApi, TargetSummary } from '../../../main/common/api.ts';
import { card, h } from '../dom.ts';
import { date } from '../format.ts';

async function safeList(api: KneepointApi): Promise<TargetSummary[]> {
  try { return await api.listTargets(); } catch { return []; }
}

export async function targetsCard(api: KneepointApi): Promise<HTMLElement> {
  const targets = await safeList(api);
  return card('Remote targets', targets.length === 0
    ? h('p', { class: 'muted' }, 'No remote targets. Measure on the machine you will serve from: ',
      h('code', {}, 'kneepoint targets add NAME ssh://user@host'), ', then ', h('code', {}, 'kneepoint targets install NAME'), ' (docs/remote.md).')
    : h('table', { class: 'table', 'data-testid': 'targets' },
      h('thead', {}, h('tr', {}, h('th', {}, 'target'), h('th', {}, 'address'), h('th', {}, 'last test'), h('th', {}, 'Kneepoint there'))),
      h('tbody', {}, targets.map((t) => h('tr', { 'data-target': t.name },
        h('td', {}, h('strong', {}, t.name)), h('td', {}, h('code', {}, t.url)),
        h('td', { title: t.lastTest?.error ?? null }, t.lastTest
          ? h('span', { class: `badge ${t.lastTest.ok ? 'good' : 'failed'}` }, `${t.lastTest.ok ? 'ok' : 'failed'} · ${date(t.lastTest.at)}`)
          : h('span', { class: 'muted' }, 'never tested')),
        h('td', {}, t.lastTest?.kneepointVersion ?? '—'))))));
}

/** "Run on": this machine or one target. `value()` is the sweep spec's target field (undefined = here). */
export async function targetPicker(api: KneepointApi): Promise<{ el: HTMLElement; value(): string[] | undefined }> {
  const targets = await safeList(api);
  const select = h('select', { class: 'input', 'aria-label': 'Run on', 'data-testid': 'sweep-target' },
    h('option', { value: '' }, 'this machine'),
    targets.map((t) => h('option', { value: t.name }, `target ${t.name} (${t.url})`)));
  const el = h('label', { class: 'field', title: 'a remote target runs the sweep there over ssh; points stream back into this store' }, h('span', {}, 'run on'), select);
  if (!targets.length) el.hidden = true;
  return { el, value: () => (select.value ? [select.value] : undefined) };
}
