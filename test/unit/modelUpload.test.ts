// The upload form of addModel: size arithmetic without decoding, the limit's message, safe names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_MODEL_UPLOAD_BYTES, MAX_UPLOAD_MESSAGE_BYTES, base64DecodedBytes, safeUploadName, uploadTooLargeMessage } from '../../main/common/modelUpload.ts';

test('base64DecodedBytes equals the decoded length, padding included', () => {
  for (const n of [0, 1, 2, 3, 4, 5, 1000, 4097]) {
    const b64 = Buffer.alloc(n, 7).toString('base64');
    assert.equal(base64DecodedBytes(b64), n, `${n} bytes`);
  }
});

test('an upload at the limit fits in one WebSocket message and in one JavaScript string', () => {
  assert.ok(MAX_UPLOAD_MESSAGE_BYTES > Math.ceil(MAX_MODEL_UPLOAD_BYTES / 3) * 4);
  assert.ok(MAX_UPLOAD_MESSAGE_BYTES < 2 ** 29 - 24, 'below V8\'s maximum string length');
});

test('the too-large message says the size, the limit and what still works', () => {
  const msg = uploadTooLargeMessage('big.onnx', 300 * 2 ** 20);
  assert.match(msg, /big\.onnx is 300 MiB/);
  assert.match(msg, /limited to 256 MiB/);
  assert.match(msg, /kneepoint models add PATH/);
});

test('uploaded names lose folders and odd characters and end in .onnx', () => {
  assert.equal(safeUploadName('../../etc/passwd'), 'passwd.onnx');
  assert.equal(safeUploadName('C:\\models\\my model (v2).onnx'), 'my-model-v2-.onnx');
  assert.equal(safeUploadName('..'), 'model.onnx');
  assert.equal(safeUploadName('resnet.ONNX'), 'resnet.ONNX');
});
