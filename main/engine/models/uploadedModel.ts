// addModel's upload form: the page sends the file's bytes (a browser never reveals a path); the
// engine writes them into <dataDir>/models/ under the same name `addModel({ path, copy: true })`
// would use, then inspects and registers the copy. A bad file is removed again and its error
// names the file the person picked, not our copy.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidInput, KneepointError } from '../../common/errors.ts';
import { MAX_MODEL_UPLOAD_BYTES, base64DecodedBytes, safeUploadName, uploadTooLargeMessage } from '../../common/modelUpload.ts';
import type { ModelInfo } from '../../common/types.ts';
import type { EngineContext } from '../engineContext.ts';
import { modelInfoForUserFile } from './catalog.ts';
import { refuseUnloadable } from './loadCheck.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Write an uploaded model into the data dir, inspect it (bad files rejected) and register it. */
export async function addUploadedModel(ctx: EngineContext, args: { fileName: string; base64: string; name?: string }): Promise<ModelInfo> {
  const shown = args.fileName.split(/[\\/]/).pop() || 'the file';
  const size = base64DecodedBytes(args.base64);
  if (size > MAX_MODEL_UPLOAD_BYTES) throw invalidInput(uploadTooLargeMessage(shown, size));
  if (!BASE64.test(args.base64)) throw invalidInput(`${shown}: the upload is not base64 text; send the file's bytes base64-encoded`);
  const bytes = Buffer.from(args.base64, 'base64');
  if (bytes.length === 0) throw invalidInput(`${shown} is empty (0 bytes): pick the .onnx file itself`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const dir = join(ctx.dataDir, 'models');
  mkdirSync(dir, { recursive: true });
  const dest = join(dir, `${sha256.slice(0, 12)}-${safeUploadName(shown)}`);
  const existed = existsSync(dest);
  if (!existed) writeFileSync(dest, bytes);
  let info: ModelInfo;
  try {
    info = await modelInfoForUserFile(dest, args.name || shown.replace(/\.onnx$/i, ''));
    await refuseUnloadable(dest, info.sha256, shown, info.opHistogram);
  } catch (err) {
    if (!existed) rmSync(dest, { force: true });
    if (err instanceof KneepointError) throw new KneepointError(err.kind, err.message.split(dest).join(shown));
    throw err;
  }
  ctx.store.upsertModel(info);
  return info;
}
