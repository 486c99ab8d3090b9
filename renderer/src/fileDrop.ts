// A file picker with a drop zone, shared by the views that take a file from the user (Models'
// import, Runs' import). A browser never reveals a picked file's path: callers get the File and
// read its bytes with fileBase64; Electron callers may ask the bridge for a path instead.
import { h } from './dom.ts';

export interface FileDrop {
  /** the dashed drop zone with its "Choose file…" button (the keyboard's way to the picker) */
  zone: HTMLElement;
  /** the hidden <input type=file>; place it in the page (tests set files on it by its id) */
  input: HTMLInputElement;
}

export interface FileDropOptions {
  /** "Drop an .onnx file here" */
  title: string;
  /** the input's accept list, e.g. ".onnx" or ".json,.csv" */
  accept: string;
  inputId: string;
  /** what the zone is, for screen readers */
  ariaLabel: string;
  onFile: (f: File) => void;
  /** replaces the file input on "Choose file…" (Electron's native dialog); default: the input */
  onChoose?: () => void;
}

export function fileDrop(o: FileDropOptions): FileDrop {
  // out of the tab order: the "Choose file…" button is the keyboard way in (one control, not two nested)
  const input = h('input', { type: 'file', accept: o.accept, class: 'visually-hidden', id: o.inputId, tabindex: '-1', 'aria-label': o.title });
  input.addEventListener('change', () => { const f = input.files?.[0]; input.value = ''; if (f) o.onFile(f); });
  const choose = o.onChoose ?? (() => input.click());
  const zone = h('div', { class: 'dropzone', role: 'group', 'aria-label': o.ariaLabel },
    h('strong', {}, o.title), h('span', { class: 'muted' }, ' or '),
    h('button', { type: 'button', class: 'btn', onclick: () => choose() }, 'Choose file…'));
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => { e.preventDefault(); zone.classList.remove('over'); const f = e.dataTransfer?.files[0]; if (f) o.onFile(f); });
  return { zone, input };
}

/** The file's bytes as base64 (FileReader's data URL is native and fast even for large files). */
export function fileBase64(f: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => { const url = String(r.result); resolve(url.slice(url.indexOf(',') + 1)); };
    r.onerror = () => reject(new Error(`could not read ${f.name}: ${r.error?.message ?? 'unknown error'}`));
    r.readAsDataURL(f);
  });
}
