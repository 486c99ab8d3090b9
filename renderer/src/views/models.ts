// Models: the catalog with provenance and license, import (file picker / drag-and-drop), and an
// inspection panel (inputs/outputs with dims, ops, params, FLOPs, precision variants).
// A browser never reveals a picked file's path, so there the file's bytes are uploaded
// (addModel's { fileName, base64 } form); Electron passes the path from its native dialog.
import type { ModelInfo, TensorInfo } from '../../../main/common/types.ts';
import type { View } from '../viewContext.ts';
import { card, errorBox, h, stat, toast } from '../dom.ts';
import { fileBase64, fileDrop } from '../fileDrop.ts';
import { bytes, compact, num } from '../format.ts';
import { MAX_MODEL_UPLOAD_BYTES, uploadTooLargeMessage } from '../../../main/common/modelUpload.ts';

const dims = (t: TensorInfo) => `[${t.shape.map((d) => d === null ? '?' : String(d)).join(', ')}]`;

export const modelsView: View = async (ctx) => {
  let models = await ctx.api.listModels();
  const detail = h('div', { class: 'model-detail' });
  const tbody = h('tbody');

  function renderTable(selected?: string): void {
    tbody.replaceChildren(...models.map((m) => h('tr', { class: m.id === selected ? 'selected' : '', 'data-model': m.id },
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => void inspect(m.id) }, m.name), h('div', { class: 'muted small' }, m.id)),
      h('td', { class: 'small prov', title: m.source }, shortSource(m.source)), h('td', {}, m.license), h('td', { class: 'num' }, bytes(m.bytes)),
      h('td', { class: 'num' }, compact(m.params)), h('td', { class: 'num' }, m.flopsPerSample === null ? '—' : compact(m.flopsPerSample)))));
  }

  async function inspect(id: string): Promise<void> {
    renderTable(id);
    detail.replaceChildren(h('div', { class: 'loading' }, 'Inspecting…'));
    try { detail.replaceChildren(inspection(await ctx.api.inspectModel({ model: id }))); }
    catch (err) { detail.replaceChildren(errorBox(err)); }
  }

  const importStatus = h('div', { class: 'import-status', 'data-testid': 'import-status', 'aria-live': 'polite' });
  async function register(label: string, call: () => Promise<ModelInfo>): Promise<void> {
    importStatus.replaceChildren(h('span', { class: 'muted small' }, `Adding ${label}…`));
    delete importStatus.dataset.state;
    try {
      const m = await call();
      importStatus.replaceChildren(h('span', { class: 'small' }, `Added ${m.name} (${m.id}).`));
      importStatus.dataset.state = 'added';
      toast(`Added ${m.name}`);
      models = await ctx.api.listModels();
      await inspect(m.id);
    } catch (err) {
      // the engine's error says what is wrong with the file and what to do: keep it on screen
      importStatus.replaceChildren(errorBox(err));
      importStatus.dataset.state = 'error';
    }
  }
  const add = (path: string) => register(path, () => ctx.api.addModel({ path, copy: true }));
  async function upload(f: File): Promise<void> {
    if (f.size > MAX_MODEL_UPLOAD_BYTES) {
      importStatus.replaceChildren(errorBox(new Error(uploadTooLargeMessage(f.name, f.size))));
      importStatus.dataset.state = 'error';
      return;
    }
    await register(`${f.name} (${bytes(f.size)})`, async () => ctx.api.addModel({ fileName: f.name, base64: await fileBase64(f) }));
  }

  const pathInput = h('input', { type: 'text', class: 'input wide', placeholder: '/path/to/model.onnx', 'aria-label': 'Path of an .onnx file on this machine' });
  async function picked(f: File): Promise<void> {
    const p = ctx.host.bridge?.pathForFile(f);
    if (p) return add(p);
    return upload(f);
  }
  const bridge = ctx.host.bridge;
  const { zone: drop, input: fileInput } = fileDrop({
    title: 'Drop an .onnx file here', accept: '.onnx', inputId: 'model-file', ariaLabel: 'Drop an .onnx file here, or choose one',
    onFile: (f) => void picked(f),
    onChoose: bridge ? () => void bridge.openFileDialog({ title: 'Import an ONNX model', extensions: ['onnx'] }).then(([p]) => { if (p) return add(p); }) : undefined,
  });

  renderTable();
  const view = h('div', { class: 'view' },
    h('header', { class: 'view-head' }, h('h1', {}, 'Models'), h('p', { class: 'muted' }, 'Real pre-trained models (with their npm provenance and license), generated families, and your own files.')),
    card('Import a model', drop, fileInput,
      h('form', { class: 'row', onsubmit: (e: Event) => { e.preventDefault(); if (pathInput.value.trim()) void add(pathInput.value.trim()); } },
        h('span', { class: 'muted small' }, 'or a path on this machine:'), pathInput, h('button', { type: 'submit', class: 'btn primary' }, 'Add')),
      h('p', { class: 'muted small' }, ctx.host.kind === 'electron' ? 'The file is copied into Kneepoint\'s data folder.' : `The file is uploaded into Kneepoint's data folder (up to ${MAX_MODEL_UPLOAD_BYTES / 2 ** 20} MiB; larger files: type their path).`),
      importStatus),
    h('div', { class: 'models-layout' },
    card('Catalog', h('table', { class: 'table', 'data-testid': 'models-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'model'), h('th', {}, 'provenance'), h('th', {}, 'license'), h('th', { class: 'num' }, 'file size'), h('th', { class: 'num' }, 'params'), h('th', { class: 'num' }, 'FLOPs / sample'))),
      tbody)),
    detail));
  const first = ctx.params[0] ?? models[0]?.id;
  if (first) void inspect(first);
  return view;
};

function inspection(m: ModelInfo): HTMLElement {
  const tensorTable = (title: string, ts: TensorInfo[]) => h('table', { class: 'table compact' },
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, h('th', {}, 'name'), h('th', {}, 'type'), h('th', {}, 'dims'), h('th', {}, 'batch dim'))),
    h('tbody', {}, ts.map((t) => h('tr', {}, h('td', {}, h('code', {}, t.name)), h('td', {}, t.type), h('td', {}, h('code', {}, dims(t))),
      h('td', {}, m.batchDims?.[t.name] === undefined || m.batchDims?.[t.name] === null ? '—' : `axis ${m.batchDims[t.name]}`)))));
  const ops = Object.entries(m.opHistogram ?? {}).sort((a, b) => b[1] - a[1]);
  return card(`Inspect: ${m.name}`,
    m.description ? h('p', {}, m.description) : null,
    h('div', { class: 'stats' },
      stat('parameters', compact(m.params)), stat('weights', bytes(m.paramBytes ?? null)), stat('FLOPs per sample', m.flopsPerSample === null ? 'unknown (dynamic)' : compact(m.flopsPerSample)),
      stat('file size', bytes(m.bytes)), stat('batch dim', m.dynamicBatch ? 'dynamic' : 'fixed'), stat('opsets', m.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')), stat('license', m.license)),
    h('p', { class: 'muted small' }, `source: ${m.source} · sha256 ${m.sha256.slice(0, 16)}… · ${m.path}`),
    tensorTable('Inputs', m.inputs), tensorTable('Outputs', m.outputs),
    m.defaultPins?.length ? h('p', { class: 'small' }, 'Default input pins: ', h('code', {}, JSON.stringify(m.defaultPins))) : null,
    h('div', { class: 'grid two' },
      h('div', {}, h('h3', {}, `Operators (${num(ops.reduce((s, [, n]) => s + n, 0))} nodes)`),
        ops.length ? h('table', { class: 'table compact' }, h('thead', {}, h('tr', {}, h('th', {}, 'op type'), h('th', { class: 'num' }, 'count'))),
          h('tbody', {}, ops.slice(0, 15).map(([op, n]) => h('tr', {}, h('td', {}, op), h('td', { class: 'num' }, num(n)))))) : h('p', { class: 'muted' }, 'not reported')),
      h('div', {}, h('h3', {}, 'Precision variants'),
        m.variants?.length ? h('table', { class: 'table compact' }, h('thead', {}, h('tr', {}, h('th', {}, 'precision'), h('th', { class: 'num' }, 'size'), h('th', {}, 'sha256'))),
          h('tbody', {}, m.variants.map((v) => h('tr', {}, h('td', {}, v.precision), h('td', { class: 'num' }, bytes(v.bytes)), h('td', {}, h('code', {}, v.sha256.slice(0, 12))))))) : h('p', { class: 'muted' }, 'fp32 only; fp16/int8 variants are made on demand by a sweep'))),
    h('div', { class: 'row' }, h('a', { class: 'btn primary', href: `#/sweep?model=${encodeURIComponent(m.id)}` }, 'Sweep this model'),
      h('a', { class: 'btn', href: `#/runs?model=${encodeURIComponent(m.id)}` }, 'Runs of this model')));
}

/** "generated:mlp(width=64,…)" → "generated · mlp"; npm sources keep their package@version. */
function shortSource(source: string): string {
  const [kind, rest = ''] = source.split(/:(.*)/s);
  if (kind === 'generated') return `generated · ${rest.split('(')[0]}`;
  return rest ? `${kind} · ${rest}` : kind;
}
