// Placeholder slot for the "Learn" view (another issue fills it in).
import { card, h } from '../dom.ts';
import type { View } from '../context.ts';

export const learnView: View = () => h('div', { class: 'view' },
  h('header', { class: 'view-head' }, h('h1', {}, 'Learn')),
  card('How to read Kneepoint', h('p', {}, 'Guided explanations of latency percentiles, throughput, batching and serving modes will appear here.')));
