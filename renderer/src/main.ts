// UI entry: app shell (navigation, theme, connection banner) and the hash router.
import './styles.css';
import { applyTheme } from './charts/setup.ts';
import type { ViewContext } from './viewContext.ts';
import { clear, errorBox, h } from './dom.ts';
import { pickHost } from './host/host.ts';
import { ROUTES, resolveRoute } from './routes.ts';

const THEME_KEY = 'kneepoint.theme';

function setTheme(theme: 'light' | 'dark'): void {
  document.documentElement.dataset.theme = theme;
  try { localStorage.setItem(THEME_KEY, theme); } catch { /* storage may be disabled */ }
  applyTheme();
  // charts resolve their colours when created: redraw the view in the new theme
  if (rendered) void render();
}
let rendered = false;
function initialTheme(): 'light' | 'dark' {
  try { const t = localStorage.getItem(THEME_KEY); if (t === 'light' || t === 'dark') return t; } catch { /* ignore */ }
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const banner = h('div', { class: 'banner', role: 'status', hidden: true });
const host = pickHost((s) => { banner.hidden = s.connected; banner.textContent = s.message ?? ''; });
const main = h('main', { id: 'main', tabindex: '-1' });
const navLinks = ROUTES.filter((r) => r.nav).map((r) => h('a', { href: `#/${r.path}`, class: 'nav-link', 'data-route': r.path, title: `${r.title} (Alt+${r.key})` },
  h('span', { class: `nav-icon icon-${r.path}`, 'aria-hidden': 'true' }), h('span', {}, r.title)));
const themeBtn = h('button', { type: 'button', class: 'btn ghost theme-toggle', 'aria-label': 'Toggle light/dark theme', onclick: () => setTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark') }, '◐ Theme');

document.body.append(
  h('a', { href: '#main', class: 'skip' }, 'Skip to content'),
  h('div', { class: 'shell' },
    h('nav', { class: 'sidebar', 'aria-label': 'Main' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), h('span', {}, 'Kneepoint')),
      ...navLinks,
      h('div', { class: 'sidebar-foot' }, themeBtn, h('div', { class: 'muted small' }, host.kind === 'electron' ? 'desktop' : 'web host · 127.0.0.1'))),
    h('div', { class: 'content' }, banner, main)),
  h('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite' }),
);
setTheme(initialTheme());

let leaveFns: Array<() => void> = [];
let renderSeq = 0;
async function render(): Promise<void> {
  const seq = ++renderSeq;
  for (const f of leaveFns) { try { f(); } catch { /* keep navigating */ } }
  leaveFns = [];
  const { route, params, query } = resolveRoute(location.hash);
  for (const a of navLinks) a.classList.toggle('active', a.dataset.route === route.path);
  for (const a of navLinks) if (a.dataset.route === route.path) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  document.title = `${route.title} · Kneepoint`;
  const ctx: ViewContext = {
    api: host.api, host, params, query,
    navigate: (hash) => { location.hash = hash; },
    refresh: () => { if (seq === renderSeq) void render(); },
    onLeave: (fn) => leaveFns.push(fn),
  };
  clear(main);
  main.append(h('div', { class: 'loading' }, 'Loading…'));
  try {
    const view = await route.load();
    const el = await view(ctx);
    if (seq !== renderSeq) return;
    main.replaceChildren(el);
  } catch (err) {
    if (seq !== renderSeq) return;
    main.replaceChildren(errorBox(err));
  }
  main.dataset.view = route.path + (params.length ? '-detail' : '');
  rendered = true;
}

window.addEventListener('hashchange', () => void render());
window.addEventListener('keydown', (e) => {
  if (!e.altKey || e.ctrlKey || e.metaKey) return;
  const r = ROUTES.find((x) => x.key === e.key);
  if (r) { e.preventDefault(); location.hash = `#/${r.path}`; main.focus(); }
});
if (!location.hash) history.replaceState(null, '', '#/overview');
void render();
