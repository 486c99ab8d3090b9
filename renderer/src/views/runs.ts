// Runs: history with sort, filter (model / hardware / date / text), rename, tag, delete with a
// confirm, a selection to compare, and import (runImport.ts). Runs measured elsewhere say so: an
// "imported" badge and the machine they ran on.
import type { RunSummary } from '../../../main/common/types.ts';
import type { View } from '../viewContext.ts';
import { card, confirmDialog, h, promptDialog, toast } from '../dom.ts';
import { date, num } from '../format.ts';
import { runImportCard } from './runImport.ts';

type SortKey = 'createdAt' | 'name' | 'model' | 'kind' | 'status' | 'pointCount' | 'hardwareLabel';

const IMPORT_FORMAT: Record<NonNullable<RunSummary['imported']>['format'], string> = { 'kneepoint-json': 'Kneepoint JSON', 'perf_analyzer-csv': 'perf_analyzer CSV' };

export const runsView: View = async (ctx) => {
  const [first, info] = await Promise.all([ctx.api.listRuns(), ctx.api.getInfo()]);
  let runs = first;
  const here = info.hardware.fingerprint;
  let justImported = '';
  let sortKey: SortKey = 'createdAt';
  let sortDir = -1;
  const selected = new Set<string>();
  const filter = { text: '', model: ctx.query.get('model') ?? '', hardware: '', since: '' };
  const tbody = h('tbody');
  const compareBtn = h('button', { type: 'button', class: 'btn primary', disabled: true, 'data-testid': 'compare-selected', onclick: () => ctx.navigate(`#/compare?runs=${[...selected].map(encodeURIComponent).join(',')}`) }, 'Compare selected');
  const count = h('span', { class: 'muted small' });

  const models = () => [...new Set(runs.map((r) => r.model))].sort();
  const hardware = () => [...new Set(runs.map((r) => r.hardwareFingerprint).filter((x): x is string => !!x))];
  const machine = (r: RunSummary | undefined) => !r ? '' : r.hardwareFingerprint && r.hardwareFingerprint === here ? 'this machine' : r.hardwareLabel ?? r.hardwareFingerprint?.slice(0, 12) ?? 'unknown machine';
  const hwName = (fp: string) => machine(runs.find((r) => r.hardwareFingerprint === fp));
  // an import can bring a new model or machine: the filters offer them too
  const fillers: Array<() => void> = [];
  const select = (label: string, key: 'model' | 'hardware', values: () => string[]) => {
    const s = h('select', { class: `input filter-${key}`, 'aria-label': label });
    const fill = () => s.replaceChildren(h('option', { value: '' }, label === 'hardware' ? 'all hardware' : `all ${label}s`), ...values().map((v) => h('option', { value: v, selected: filter[key] === v }, key === 'hardware' ? hwName(v) : v)));
    fill();
    s.addEventListener('change', () => { filter[key] = s.value; render(); });
    fillers.push(fill);
    return s;
  };

  const text = h('input', { type: 'search', class: 'input', placeholder: 'Filter by name, tag, id…', 'aria-label': 'Filter runs' });
  text.addEventListener('input', () => { filter.text = text.value.toLowerCase(); render(); });
  const since = h('input', { type: 'date', class: 'input', 'aria-label': 'Created on or after' });
  since.addEventListener('change', () => { filter.since = since.value; render(); });

  const visible = () => runs.filter((r) =>
    (!filter.model || r.model === filter.model) && (!filter.hardware || r.hardwareFingerprint === filter.hardware) &&
    (!filter.since || r.createdAt.slice(0, 10) >= filter.since) &&
    (!filter.text || [r.id, r.name ?? '', r.model, machine(r), ...(r.tags ?? [])].join(' ').toLowerCase().includes(filter.text)))
    .sort((a, b) => {
      const x = a[sortKey] ?? ''; const y = b[sortKey] ?? '';
      return (x < y ? -1 : x > y ? 1 : 0) * sortDir;
    });

  async function refresh(): Promise<void> { runs = await ctx.api.listRuns(); for (const fill of fillers) fill(); render(); }

  function render(): void {
    const list = visible();
    count.textContent = `${list.length} of ${runs.length} runs`;
    tbody.replaceChildren(...list.map((r) => row(r)));
    compareBtn.disabled = selected.size < 2;
    compareBtn.textContent = `Compare selected (${selected.size})`;
    for (const th of headRow.querySelectorAll('th[data-key]')) th.setAttribute('aria-sort', (th as HTMLElement).dataset.key === sortKey ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');
  }

  function row(r: RunSummary): HTMLElement {
    const box = h('input', { type: 'checkbox', checked: selected.has(r.id), 'aria-label': `select run ${r.name || r.id}` });
    box.addEventListener('change', () => { if (box.checked) selected.add(r.id); else selected.delete(r.id); render(); });
    const elsewhere = !!r.hardwareFingerprint && r.hardwareFingerprint !== here;
    return h('tr', { 'data-run': r.id, 'data-imported': r.imported ? r.imported.format : null, class: r.id === justImported ? 'just-imported' : null },
      h('td', {}, box),
      h('td', { class: 'run-name' }, h('a', { href: `#/runs/${encodeURIComponent(r.id)}` }, r.name || r.id), r.name ? h('div', { class: 'muted small' }, r.id) : null),
      h('td', {}, r.model),
      h('td', { class: elsewhere ? 'hw hw-other' : 'hw muted', 'data-testid': 'run-hardware', title: elsewhere ? `measured on another machine (fingerprint ${r.hardwareFingerprint?.slice(0, 12)})` : 'measured on this machine' }, machine(r)),
      h('td', {}, r.kind, r.imported ? h('div', {}, h('span', { class: 'badge imported', 'data-testid': 'imported-badge', title: `imported from ${r.imported.fileName} (${IMPORT_FORMAT[r.imported.format]})${r.imported.importedAt ? ` on ${date(r.imported.importedAt)}` : ''}` }, 'imported')) : null),
      h('td', {}, h('span', { class: `badge ${r.status}` }, r.status)),
      h('td', { class: 'num' }, num(r.pointCount)), h('td', { class: 'created' }, date(r.createdAt)),
      h('td', {}, (r.tags ?? []).map((t) => h('span', { class: 'tag' }, t))),
      h('td', {}, h('div', { class: 'actions-cell' },
        h('button', { type: 'button', class: 'btn small', onclick: async () => {
          const name = await promptDialog('Rename run', 'name', r.name ?? '');
          if (name === null) return;
          try { await ctx.api.updateRun({ runId: r.id, name }); await refresh(); } catch (err) { toast(String((err as Error).message), 'error'); }
        } }, 'Rename'),
        h('button', { type: 'button', class: 'btn small', onclick: async () => {
          const tags = await promptDialog('Tags', 'comma-separated tags', (r.tags ?? []).join(', '));
          if (tags === null) return;
          try { await ctx.api.updateRun({ runId: r.id, tags: tags.split(',').map((t) => t.trim()).filter(Boolean) }); await refresh(); } catch (err) { toast(String((err as Error).message), 'error'); }
        } }, 'Tag'),
        h('button', { type: 'button', class: 'btn small danger', onclick: async () => {
          if (!await confirmDialog('Delete run?', `Delete "${r.name || r.id}" and its ${r.pointCount} points? This cannot be undone.`)) return;
          try { await ctx.api.deleteRun({ runId: r.id }); selected.delete(r.id); toast('Run deleted'); await refresh(); } catch (err) { toast(String((err as Error).message), 'error'); }
        } }, 'Delete'))));
  }

  const head = (label: string, key?: SortKey, cls = '') => {
    if (!key) return h('th', { class: cls }, label);
    return h('th', { 'data-key': key, class: cls }, h('button', { type: 'button', class: 'sort', onclick: () => { if (sortKey === key) sortDir = -sortDir; else { sortKey = key; sortDir = 1; } render(); } }, label));
  };
  const headRow = h('tr', {}, head(''), head('run', 'name'), head('model', 'model'), head('measured on', 'hardwareLabel'), head('kind', 'kind'), head('status', 'status'), head('points (n)', 'pointCount', 'num'), head('created', 'createdAt'), head('tags'), head(''));
  render();
  const table = h('table', { class: 'table runs-table', 'data-testid': 'runs-table', hidden: !runs.length }, h('thead', {}, headRow), tbody);
  const empty = h('p', { class: 'muted', hidden: !!runs.length }, 'No runs yet: start a sweep, or import one.');
  const importer = runImportCard(ctx, async (runId) => {
    justImported = runId;
    await refresh();
    table.hidden = !runs.length; empty.hidden = !!runs.length;
  });
  importer.hidden = !ctx.query.has('import') && runs.length > 0;
  const importBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'import-runs', 'aria-expanded': String(!importer.hidden), onclick: () => {
    importer.hidden = !importer.hidden;
    importBtn.setAttribute('aria-expanded', String(!importer.hidden));
    if (!importer.hidden) importer.querySelector<HTMLElement>('.dropzone')?.focus();
  } }, 'Import runs…');
  return h('div', { class: 'view' },
    h('header', { class: 'view-head' }, h('div', {}, h('h1', {}, 'Runs'), h('p', { class: 'muted' }, 'Every sweep and load run stored here, and runs imported from other machines and tools.')), importBtn),
    importer,
    card(null, h('div', { class: 'row wrap' }, text, select('model', 'model', models), select('hardware', 'hardware', hardware), h('label', { class: 'field inline' }, h('span', {}, 'since'), since), count, h('span', { class: 'spacer' }), compareBtn),
      table, empty));
};
