// Tiny DOM helpers: build elements without innerHTML (no injection, CSP-friendly).
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'class') el.className = String(v);
    else if (k in el && typeof v !== 'string') (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Array<Child | Child[]>): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

export function clear(el: Element): void { el.replaceChildren(); }

/** A labelled value: every number on screen says what it is. */
export function stat(label: string, value: string, hint?: string): HTMLElement {
  return h('div', { class: 'stat', title: hint ?? null }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
}

export function card(title: string | null, ...children: Array<Child | Child[]>): HTMLElement {
  return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...children);
}

export function errorBox(err: unknown): HTMLElement {
  const msg = err instanceof Error ? err.message : String(err);
  return h('div', { class: 'error', role: 'alert' }, msg);
}

/** How long a toast stays: a few seconds, longer for errors (they carry what to do). */
export const TOAST_MS = { info: 3500, error: 8000 } as const;

/** A transient message in the corner; it goes away by itself or with its × button. */
export function toast(message: string, kind: 'info' | 'error' = 'info'): void {
  const host = document.getElementById('toasts');
  if (!host) return;
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', title: 'Dismiss', onclick: () => t.remove() }, '×');
  const t = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': 'toast' }, h('span', {}, message), close);
  host.append(t);
  setTimeout(() => t.remove(), TOAST_MS[kind]);
}

/** Modal confirm with <dialog>; resolves true when confirmed. Keyboard: Enter / Escape. */
export function confirmDialog(title: string, body: string, confirmLabel = 'Delete'): Promise<boolean> {
  return new Promise((resolve) => {
    const dlg = h('dialog', { class: 'dialog' },
      h('h2', {}, title), h('p', {}, body),
      h('div', { class: 'row end' },
        h('button', { type: 'button', class: 'btn', onclick: () => dlg.close('cancel') }, 'Cancel'),
        h('button', { type: 'button', class: 'btn danger', 'data-testid': 'confirm', onclick: () => dlg.close('ok') }, confirmLabel)));
    dlg.addEventListener('close', () => { resolve(dlg.returnValue === 'ok'); dlg.remove(); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

/** Modal text prompt; resolves the value or null when cancelled. */
export function promptDialog(title: string, label: string, value: string): Promise<string | null> {
  return new Promise((resolve) => {
    const input = h('input', { type: 'text', value, 'aria-label': label, class: 'input wide' });
    const form = h('form', { method: 'dialog' },
      h('h2', {}, title), h('label', { class: 'field' }, h('span', {}, label), input),
      h('div', { class: 'row end' },
        h('button', { type: 'button', class: 'btn', onclick: () => dlg.close('cancel') }, 'Cancel'),
        h('button', { type: 'submit', class: 'btn primary', value: 'ok' }, 'Save')));
    const dlg = h('dialog', { class: 'dialog' }, form);
    dlg.addEventListener('close', () => { resolve(dlg.returnValue === 'ok' ? input.value : null); dlg.remove(); });
    document.body.append(dlg);
    dlg.showModal();
    input.select();
  });
}
