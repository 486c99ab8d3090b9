// The glossary: every definition the product uses, one anchor each (#/learn/glossary?term=ID
// scrolls to and highlights the entry).
import { GLOSSARY } from '../../../../main/common/learn/glossary.ts';
import type { ViewContext } from '../../viewContext.ts';
import { h } from '../../dom.ts';

export function glossaryView(ctx: ViewContext): HTMLElement {
  const want = ctx.query.get('term');
  const entries = GLOSSARY.map((e) => h('article', { class: `card glossary-entry${e.id === want ? ' highlight' : ''}`, id: `glossary-${e.id}`, 'data-term': e.id, tabindex: '-1' },
    h('h2', {}, e.term),
    h('p', { class: 'glossary-short' }, e.short),
    h('p', {}, h('strong', {}, 'How Kneepoint computes it. '), e.definition),
    h('p', { class: 'muted' }, h('strong', {}, 'Why it matters. '), e.why),
    e.aliases.length ? h('p', { class: 'muted small' }, `Also: ${e.aliases.join(', ')}`) : null));
  const root = h('div', { class: 'view learn-glossary', 'data-testid': 'glossary' },
    h('header', { class: 'view-head' }, h('div', {}, h('p', { class: 'muted small' }, h('a', { href: '#/learn' }, 'Learn'), ' / glossary'), h('h1', {}, 'Glossary'),
      h('p', { class: 'muted' }, 'The definitions Kneepoint uses in every figure, chart and plan.'))),
    h('nav', { class: 'glossary-index row wrap' }, GLOSSARY.map((e) => h('a', { href: `#/learn/glossary?term=${e.id}`, class: 'tag' }, e.term))),
    ...entries);
  if (want) {
    requestAnimationFrame(() => {
      const el = document.getElementById(`glossary-${want}`);
      el?.scrollIntoView({ block: 'start' });
      el?.focus({ preventScroll: true });
    });
  }
  return root;
}
