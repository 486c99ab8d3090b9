// Links to the glossary from anywhere in the UI: glossaryLink('p99') → a small link that opens
// the Learn view's glossary at that term (hash routes cannot use #anchors, so the term rides in
// the query: #/learn/glossary?term=ID).
import { findGlossaryEntry } from '../../../../main/common/learn/glossary.ts';
import { h } from '../../dom.ts';

/** The route of a glossary entry (by id, term or alias); the glossary top when unknown. */
export function glossaryHref(term: string): string {
  const e = findGlossaryEntry(term);
  return e ? `#/learn/glossary?term=${encodeURIComponent(e.id)}` : '#/learn/glossary';
}

/** An inline link to the term's definition; `label` defaults to the term as written. */
export function glossaryLink(term: string, label?: string): HTMLAnchorElement {
  const e = findGlossaryEntry(term);
  return h('a', { href: glossaryHref(term), class: 'glossary-link', title: e ? e.short : 'glossary', 'data-term': e?.id ?? term }, label ?? term);
}
