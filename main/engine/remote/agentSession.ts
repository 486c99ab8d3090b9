// One session with a target: ssh runs `kneepoint agent --stdio` from the target's remote dir and
// the API contract flows over that ssh session's stdio. The first call is getInfo, which also
// checks that the remote runs this very Kneepoint version.
import { KneepointError, invalidInput } from '../../common/errors.ts';
import type { SystemInfo } from '../../common/types.ts';
import { shScript } from './shellQuote.ts';
import { spawnSsh, sshFailure, type Target } from './ssh.ts';
import { connectStdio, type RemoteApi } from './stdioRpc.ts';

/** Where things live under a target's remote dir. */
export const remotePaths = (t: Target) => ({
  app: `${t.remoteDir}/app`,
  data: `${t.remoteDir}/data`,
  models: `${t.remoteDir}/models`,
  incoming: `${t.remoteDir}/incoming`,
});

const NOT_INSTALLED = 'kneepoint-not-installed';

/**
 * The agent's remote command. A fixed script; the remote dir arrives as "$1". The install's own
 * Node 24 (node_modules/node) runs it, so the remote's system Node does not matter.
 */
export function agentCommand(t: Target): string {
  const p = remotePaths(t);
  // `targets install` unpacks the package to app/kneepoint (deps and Node in app/node_modules); a checkout copied to app/ works too
  const script = 'd=$1; shift; app="$d/app"; k="$app/kneepoint/scripts/kneepoint.mjs"; ' +
    '[ -f "$k" ] || k="$app/scripts/kneepoint.mjs"; ' +
    `if [ ! -f "$k" ]; then echo ${NOT_INSTALLED} >&2; exit 127; fi; ` +
    'n="$app/node_modules/node/bin/node"; [ -x "$n" ] || n=node; ' +
    'exec "$n" "$k" "$@"';
  return shScript(script, [t.remoteDir, '--db', `${p.data}/kneepoint.db`, 'agent', '--stdio', '--data-dir', p.data]);
}

export function installHint(t: Target): string {
  return `kneepoint targets install ${t.name}`;
}

export interface AgentSession {
  target: Target;
  api: RemoteApi;
  info: SystemInfo;
  close(): Promise<void>;
}

export function versionMismatch(t: Target, remote: string | undefined, local: string): KneepointError | null {
  if (remote === local) return null;
  return invalidInput(`target ${t.name} runs Kneepoint ${remote ?? '(unknown version)'} under ${t.remoteDir}, this is ${local}: ` +
    `a sweep must run the same engine on both sides. Install this version there with \`${installHint(t)}\``);
}

/** Open a session; refuses a remote with another Kneepoint version unless `allowVersionMismatch`. */
export async function openAgent(t: Target, localVersion: string, opts: { allowVersionMismatch?: boolean } = {}): Promise<AgentSession> {
  const child = spawnSsh(t, agentCommand(t));
  const api = await connectStdio(child, (code, stderr) => {
    if (code === 255) return sshFailure(t, stderr, code);
    if (stderr.includes(NOT_INSTALLED)) {
      return invalidInput(`Kneepoint is not installed on target ${t.name} under ${t.remoteDir}: install it with \`${installHint(t)}\``);
    }
    const tail = stderr.trim().split('\n').slice(-3).join(' | ');
    return new KneepointError('engine', `the agent on target ${t.name} ended (exit ${code})${tail ? `: ${tail}` : ''}`);
  });
  try {
    const info = await api.getInfo();
    if (!opts.allowVersionMismatch) {
      const mismatch = versionMismatch(t, info.versions.kneepoint, localVersion);
      if (mismatch) throw mismatch;
    }
    return { target: t, api, info, close: () => api.close() };
  } catch (e) {
    await api.close();
    throw e;
  }
}
