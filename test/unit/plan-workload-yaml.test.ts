// Workload files: errors point at file:line and say what to fix; the UI form round-trips.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkloadYaml, workloadToYaml } from '../../main/common/plan/index.ts';
import { KneepointError } from '../../main/common/errors.ts';

const valid = `# a comment that must survive
name: demo
model:
  id: mlp-small
sla:
  percentile: 99
  slaMs: 50   # end to end
callers:
  synchronous: true
traffic:
  meanRatePerSec: 100
`;

function errorOf(text: string, opts = {}): string {
  try {
    parseWorkloadYaml(text, 'w.yaml', opts);
  } catch (e) {
    assert.ok(e instanceof KneepointError);
    assert.equal(e.kind, 'invalid-input');
    return e.message;
  }
  assert.fail('expected the workload to be rejected');
}

describe('parseWorkloadYaml', () => {
  it('fills defaults for a minimal workload', () => {
    const w = parseWorkloadYaml(valid, 'w.yaml');
    assert.equal(w.sla.slaMs, 50);
    assert.equal(w.redundancyReplicas, 1);
    assert.equal(w.traffic?.burstinessCv, 1);
    assert.deepEqual(w.instances, []);
  });

  it('missing SLA: names the line of the mapping and what to add', () => {
    const msg = errorOf(valid.replace(/sla:\n  percentile: 99\n  slaMs: 50   # end to end\n/, ''));
    assert.match(msg, /^w\.yaml:\d+: sla: missing; add `sla:`/m);
  });

  it('missing slaMs inside sla points at the sla block', () => {
    const msg = errorOf(valid.replace('  slaMs: 50   # end to end\n', ''));
    assert.match(msg, /^w\.yaml:5: sla\.slaMs: missing/m);
  });

  it('negative rate: file:line and the bound', () => {
    const msg = errorOf(valid.replace('meanRatePerSec: 100', 'meanRatePerSec: -5'));
    assert.match(msg, /^w\.yaml:11: traffic\.meanRatePerSec: must be > 0, got -5/m);
  });

  it('wrong units: slaMs: "50ms" says to write 50; "2s" converts to 2000', () => {
    assert.match(errorOf(valid.replace('slaMs: 50', 'slaMs: "50ms"')), /^w\.yaml:7: sla\.slaMs: .*slaMs: 50 \(not "50ms"\)/m);
    assert.match(errorOf(valid.replace('slaMs: 50', 'slaMs: 2s')), /^w\.yaml:7: sla\.slaMs: .*slaMs: 2000/m);
  });

  it('unknown keys: the key\'s own line and a suggestion', () => {
    const msg = errorOf(valid.replace('  slaMs: 50', '  slaMS: 50'));
    assert.match(msg, /^w\.yaml:7: sla\.slaMS: unknown key \(did you mean "slaMs"\?\)/m);
    const top = errorOf(valid + 'trafic: 3\n');
    assert.match(top, /^w\.yaml:12: trafic: unknown key \(did you mean "traffic"\?\)/m);
  });

  it('unknown model when the catalog is given', () => {
    const msg = errorOf(valid.replace('id: mlp-small', 'id: mlp-smal'), { knownModelIds: ['mlp-small', 'bert-small'] });
    assert.match(msg, /^w\.yaml:4: model\.id: unknown model "mlp-smal" \(did you mean "mlp-small"\?\)/m);
    assert.doesNotThrow(() => parseWorkloadYaml(valid.replace('id: mlp-small', 'id: ./my.onnx'), 'w.yaml', { knownModelIds: ['mlp-small'] }));
  });

  it('YAML syntax errors carry the line', () => {
    assert.match(errorOf('name: x\nsla: [\n'), /^w\.yaml:\d+: YAML: /m);
  });

  it('a daily profile needs 24 hours; all problems are listed, one per line', () => {
    const msg = errorOf(valid.replace('meanRatePerSec: 100', 'meanRatePerSec: -1\n  dailyProfile: [1, 2, 3]'));
    const lines = msg.split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines.some((l) => /^w\.yaml:12: traffic\.dailyProfile: needs exactly 24 entries/.test(l)), msg);
  });
});

describe('workloadToYaml', () => {
  it('round-trips through the parser', () => {
    const w = parseWorkloadYaml(valid, 'w.yaml');
    assert.deepEqual(parseWorkloadYaml(workloadToYaml(w), 'w.yaml'), w);
  });

  it('keeps comments and untouched fields when given the original file', () => {
    const w = parseWorkloadYaml(valid, 'w.yaml');
    const edited = { ...w, sla: { ...w.sla, slaMs: 80 }, traffic: { ...w.traffic!, meanRatePerSec: 250 } };
    const out = workloadToYaml(edited, valid);
    assert.match(out, /# a comment that must survive/);
    assert.match(out, /slaMs: 80 +# end to end/);
    assert.match(out, /meanRatePerSec: 250/);
    assert.doesNotMatch(out, /redundancyReplicas/, 'defaults the user never wrote stay out');
    assert.deepEqual(parseWorkloadYaml(out, 'w.yaml'), edited);
  });
});
