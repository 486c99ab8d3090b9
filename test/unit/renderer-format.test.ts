// Figures on screen are for people: small dollar amounts keep two significant digits instead of
// rounding to "$0.00" (a cost per million requests is often a fraction of a cent).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { usd } from '../../renderer/src/format.ts';

it('usd: large, ordinary and tiny amounts', () => {
  assert.equal(usd(1234.5), '$1,235');
  assert.equal(usd(0.22), '$0.22');
  assert.equal(usd(0.0022), '$0.0022');
  assert.equal(usd(2.1667e-6), '$0.0000022');
  assert.equal(usd(0), '$0.00');
  assert.equal(usd(null), '—');
});
