import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../main/engine/onnx/float16.ts';

const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;

describe('float32 → float16 bits', () => {
  it('converts exact values, signed zeros and the extremes', () => {
    const cases: Array<[number, number]> = [
      [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800], [65504, 0x7bff], [-65504, 0xfbff],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [1023 * 2 ** -24, 0x03ff], // largest subnormal
      [Infinity, 0x7c00], [-Infinity, 0xfc00],
    ];
    for (const [v, bits] of cases) assert.equal(hex(float32ToFloat16Bits(v)), hex(bits), `value ${v}`);
  });

  it('rounds to nearest, ties to even', () => {
    // 1 + 2^-11 is exactly halfway between 1 and the next half (1 + 2^-10): ties to even → 1
    assert.equal(hex(float32ToFloat16Bits(1 + 2 ** -11)), hex(0x3c00));
    // 1 + 3·2^-11 is halfway between 1+2^-10 (odd mantissa) and 1+2^-9: ties to even → 1+2^-9
    assert.equal(hex(float32ToFloat16Bits(1 + 3 * 2 ** -11)), hex(0x3c02));
    // just above halfway rounds up
    assert.equal(hex(float32ToFloat16Bits(1 + 2 ** -11 + 2 ** -20)), hex(0x3c01));
  });

  it('overflows to infinity only past the rounding boundary of 65504', () => {
    assert.equal(hex(float32ToFloat16Bits(65519)), hex(0x7bff)); // below halfway to 65536
    assert.equal(hex(float32ToFloat16Bits(65520)), hex(0x7c00)); // halfway, ties to even (inf)
    assert.equal(hex(float32ToFloat16Bits(1e6)), hex(0x7c00));
    assert.equal(hex(float32ToFloat16Bits(-1e6)), hex(0xfc00));
  });

  it('underflows gradually: half the smallest subnormal ties to zero, just above rounds up', () => {
    assert.equal(float32ToFloat16Bits(2 ** -25), 0x0000);
    assert.equal(float32ToFloat16Bits(-(2 ** -25)), 0x8000);
    assert.equal(float32ToFloat16Bits(2 ** -25 * 1.0001), 0x0001);
    assert.equal(float32ToFloat16Bits(3 * 2 ** -25), 0x0002); // 1.5 subnormal units: tie → even (2)
    assert.equal(float32ToFloat16Bits(1e-10), 0x0000);
    // the largest subnormal plus a bit more than half a unit carries into the smallest normal
    assert.equal(hex(float32ToFloat16Bits(1023.6 * 2 ** -24)), hex(0x0400));
  });

  it('keeps NaN a NaN', () => {
    const h = float32ToFloat16Bits(NaN);
    assert.equal(h & 0x7c00, 0x7c00);
    assert.notEqual(h & 0x03ff, 0);
    assert.ok(Number.isNaN(float16BitsToFloat32(h)));
  });

  it('agrees with the platform Float16Array on a dense sweep of float32 values', { skip: typeof Float16Array === 'undefined' }, () => {
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    const ref = new Float16Array(1);
    const refBits = new Uint16Array(ref.buffer);
    let checked = 0;
    // every 97th float32 bit pattern: covers normals, subnormals, overflow and rounding cases of all exponents
    for (let bits = 0; bits < 0xffffffff; bits += 97 * 4099) {
      u32[0] = bits;
      const v = f32[0];
      if (Number.isNaN(v)) continue;
      ref[0] = v;
      assert.equal(float32ToFloat16Bits(v), refBits[0], `bits ${bits.toString(16)} value ${v}`);
      checked++;
    }
    for (let bits = 0x33000000; bits < 0x38800000; bits += 7) { // the whole subnormal-half range, densely
      u32[0] = bits;
      ref[0] = f32[0];
      assert.equal(float32ToFloat16Bits(f32[0]), refBits[0], `bits ${bits.toString(16)}`);
    }
    assert.ok(checked > 10000);
  });

  it('decodes every half bit pattern back to the same bits', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = float16BitsToFloat32(h);
      if (Number.isNaN(v)) continue;
      assert.equal(float32ToFloat16Bits(v), h, `pattern ${hex(h)}`);
    }
  });
});
