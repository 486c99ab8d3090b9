// Getting a model onto a target once: a sha256-addressed cache under the remote dir. The bytes go
// through the ssh session's stdin into a temporary file, are checked against the sha256 there and
// only then renamed into place, so a full disk or a cut connection never leaves a half file
// under the cache name.
import { createReadStream } from 'node:fs';
import { KneepointError } from '../../common/errors.ts';
import type { ModelInfo } from '../../common/types.ts';
import { shScript } from './shellQuote.ts';
import { runRemote, type Target } from './ssh.ts';
import { remotePaths, type AgentSession } from './agentSession.ts';

const CHECK = 'f="$1/$2.onnx"; if [ -f "$f" ]; then echo present; else echo absent; fi';
// exit 28 = ENOSPC-like write failure, 29 = checksum mismatch (codes of this script only)
const UPLOAD = 'd=$1; sha=$2; name=$3; mkdir -p "$d" || exit 28; t="$d/.$name.part.$$"; ' +
  'if ! cat > "$t"; then rm -f "$t"; df -h "$d" >&2; exit 28; fi; ' +
  'got=$( (sha256sum "$t" 2>/dev/null || shasum -a 256 "$t") | cut -d" " -f1); ' +
  'if [ "$got" != "$sha" ]; then rm -f "$t"; echo "checksum $got" >&2; exit 29; fi; ' +
  'mv -f "$t" "$d/$name" && echo stored';

export function remoteModelPath(t: Target, sha256: string): string {
  return `${remotePaths(t).models}/${sha256}.onnx`;
}

/** Copy the file to the target's cache unless it is there already. Returns the remote path and whether bytes were sent. */
export async function ensureModelFile(t: Target, path: string, sha256: string): Promise<{ remotePath: string; sent: boolean }> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  const dir = remotePaths(t).models;
  const check = await runRemote(t, shScript(CHECK, [dir, sha256]));
  if (check.code === 0 && check.stdout.trim() === 'present') return { remotePath: remoteModelPath(t, sha256), sent: false };
  await uploadVerified(t, dir, `${sha256}.onnx`, path, sha256, 'the model');
  return { remotePath: remoteModelPath(t, sha256), sent: true };
}

/** Copy a local file to `dir/name` on the target, checked against its sha256 there before it takes the name. */
export async function uploadVerified(t: Target, dir: string, name: string, localPath: string, sha256: string, what: string): Promise<string> {
  const up = await runRemote(t, shScript(UPLOAD, [dir, sha256, name]), { input: createReadStream(localPath) });
  if (up.code === 28) {
    throw new KneepointError('engine', `copying ${what} to target ${t.name} failed: the remote could not write ${dir} (disk full or no permission). ` +
      `Nothing was registered there. Free space under ${t.remoteDir} on the remote (or choose another --remote-dir) and run again. Remote said: ${up.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  if (up.code === 29) throw new KneepointError('engine', `copying ${what} to target ${t.name}: the bytes arrived altered (${up.stderr.trim()}); nothing was registered. Run again.`);
  if (up.code !== 0 || up.stdout.trim() !== 'stored') {
    throw new KneepointError('engine', `copying ${what} to target ${t.name} failed (exit ${up.code}): ${up.stderr.trim().slice(-300)}`);
  }
  return `${dir}/${name}`;
}

/**
 * What the remote sweep should name as its model: the catalog id when the remote catalog holds the
 * same file (same sha256: its default input pins come with it), else the cached copy's path.
 */
export async function remoteModelRef(s: AgentSession, model: ModelInfo): Promise<{ model: string; sent: boolean }> {
  // one model asked about, not the whole catalog (listModels parses and hashes every catalog
  // model in a fresh agent: ~0.2 s of the remote's CPU before each job)
  if (model.source !== 'user') {
    const there = await s.api.inspectModel({ model: model.id }).catch(() => null); // not in that catalog, or its file is missing there: send ours
    if (there && there.id === model.id && there.sha256 === model.sha256 && there.source !== 'user') return { model: model.id, sent: false };
  }
  const f = await ensureModelFile(s.target, model.path, model.sha256);
  return { model: f.remotePath, sent: f.sent };
}
