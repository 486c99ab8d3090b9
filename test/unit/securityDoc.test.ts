// docs/security.md cites a line for each Electron checklist item; this keeps every citation
// pointing at the code it names, so an edit that moves or drops a protection fails here instead of
// leaving the document wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.ts';

const doc = readFileSync(join(ROOT, 'docs', 'security.md'), 'utf8');
const lineOf = (file: string, n: number) => readFileSync(join(ROOT, file), 'utf8').split('\n')[n - 1] ?? '';

/** What each cited line must contain. */
const EXPECT: Record<string, RegExp> = {
  'main/electron/windowOptions.ts:12': /contextIsolation: true/,
  'main/electron/windowOptions.ts:13': /sandbox: true/,
  'main/electron/windowOptions.ts:14': /nodeIntegration: false/,
  'main/electron/windowOptions.ts:16': /nodeIntegrationInSubFrames: false/,
  'main/electron/windowOptions.ts:17': /webSecurity: true/,
  'main/electron/windowOptions.ts:18': /allowRunningInsecureContent: false/,
  'main/electron/windowOptions.ts:20': /webviewTag: false/,
  'main/electron/windowOptions.ts:21': /navigateOnDragDrop: false/,
  'main/electron/windowOptions.ts:59': /denyPermissionRequest.*callback\(false\)/,
  'main/electron/windowOptions.ts:60': /denyPermissionCheck.*=> false/,
  'main/electron/windowOptions.ts:64': /setPermissionRequestHandler\(denyPermissionRequest\)/,
  'main/electron/windowOptions.ts:65': /setPermissionCheckHandler\(denyPermissionCheck\)/,
  'main/electron/windowOptions.ts:66': /setDevicePermissionHandler\(\(\) => false\)/,
  'main/electron/main.ts:22': /registerSchemesAsPrivileged/,
  'main/electron/main.ts:23': /requestSingleInstanceLock/,
  'main/electron/main.ts:33': /allowed = .*index\.html.*dist/,
  'main/electron/main.ts:37': /Content-Security-Policy/,
  'main/electron/main.ts:43': /function trusted/,
  'main/electron/main.ts:55': /!trusted\(e\)/,
  'main/electron/main.ts:60': /!trusted\(e\)/,
  'main/electron/main.ts:65': /!trusted\(e\)/,
  'main/electron/main.ts:95': /will-navigate/,
  'main/electron/main.ts:101': /will-attach-webview.*preventDefault/,
  'main/electron/main.ts:102': /setWindowOpenHandler/,
  'main/electron/main.ts:112': /applySessionPolicy\(session\.defaultSession\)/,
  'main/electron/preload.ts:5': /contextBridge\.exposeInMainWorld/,
  'electron-builder.yml:47': /runAsNode: false/,
  'electron-builder.yml:48': /enableNodeCliInspectArguments: false/,
  'electron-builder.yml:49': /enableNodeOptionsEnvironmentVariable: false/,
  'electron-builder.yml:50': /enableCookieEncryption: true/,
  'electron-builder.yml:51': /enableEmbeddedAsarIntegrityValidation: true/,
  'electron-builder.yml:52': /onlyLoadAppFromAsar: true/,
  'electron-builder.yml:53': /grantFileProtocolExtraPrivileges: false/,
  'main/web/server.ts:79': /listen\(.*'127\.0\.0\.1'/,
  'main/web/auth.ts:8': /function createToken/,
  'main/web/auth.ts:16': /HttpOnly; SameSite=Strict/,
  'main/web/auth.ts:32': /timingSafeEqual/,
  'main/web/auth.ts:39': /function allowedHosts/,
  'main/web/auth.ts:47': /!hosts\.includes\(host/,
  'main/web/staticFiles.ts:33': /startsWith\('\/dist\/'\)/,
  'main/web/staticFiles.ts:35': /startsWith\(join\(rootDir, 'dist'\)/,
  'main/web/wsBridge.ts:29': /maxPayload: MAX_MESSAGE_BYTES/,
  'main/web/wsBridge.ts:33': /wss\.on\('error'/,
  'main/web/wsBridge.ts:39': /ws\.on\('error'/,
  'main/web/wsBridge.ts:44': /isBinary.*close\(UNSUPPORTED_DATA/,
  'main/web/wsBridge.ts:62': /socket\.on\('error'/,
};

/** Every `path:N` (and both ends of `path:N-M`) in the document, with a following `:M` read as the same path. */
function citations(): string[] {
  const out: string[] = [];
  for (const line of doc.split('\n')) {
    let last = '';
    for (const m of line.matchAll(/`([\w./-]+\.(?:ts|yml)):(\d+)(?:-(\d+))?`|`:(\d+)`/g)) {
      if (m[1]) { last = m[1]; out.push(`${m[1]}:${m[2]}`); if (m[3]) out.push(`${m[1]}:${m[3]}`); } else if (last) out.push(`${last}:${m[4]}`);
    }
  }
  return [...new Set(out)];
}

test('docs/security.md: every cited line is one this test knows, and it holds what the document says', () => {
  const cited = citations();
  assert.ok(cited.length >= 30, `found ${cited.length} citations`);
  for (const c of cited) {
    const expect = EXPECT[c];
    if (!expect && /^main\/(common\/plan|engine\/store|engine\/onnx|engine\/models|engine\/measure|cli)/.test(c)) continue; // input/storage table: checked below by name
    assert.ok(expect, `${c} is cited in docs/security.md but not checked here: add what that line must contain`);
    const [file, n] = [c.slice(0, c.lastIndexOf(':')), Number(c.slice(c.lastIndexOf(':') + 1))];
    assert.match(lineOf(file, n), expect, `${c} no longer holds ${expect}`);
  }
  for (const c of Object.keys(EXPECT)) assert.ok(cited.includes(c), `${c} is expected but not cited`);
});

test('docs/security.md: the input/storage citations point at the named definitions', () => {
  const named: Array<[string, RegExp]> = [
    ['main/cli/parseFlags.ts:9', /function intList/],
    ['main/common/plan/workloadYaml.ts:21', /MAX_WORKLOAD_BYTES = /],
    ['main/common/plan/workloadYaml.ts:32', /function decodeWorkloadBytes/],
    ['main/common/plan/workloadYaml.ts:103', /MAX_ALIAS_EXPANSIONS = /],
    ['main/engine/store/openDatabase.ts:22', /function notADatabase/],
    ['main/engine/store/openDatabase.ts:26', /function schemaAhead/],
    ['main/engine/store/openDatabase.ts:46', /function cannotWrite/],
    ['main/engine/store/openDatabase.ts:85', /function memorySnapshot/],
    ['main/engine/store/openDatabase.ts:176', /function describeWriteError/],
    ['main/cli/openEngine.ts:19', /READ_ONLY_COMMANDS = /],
    ['main/engine/models/loadCheck.ts:72', /function refuseUnloadable/],
    ['main/engine/onnx/inspect.ts:118', /function inputRoles/],
    ['main/engine/measure/inputs.ts:220', /function pinHelp/],
  ];
  const cited = citations();
  for (const [c, re] of named) {
    const [file, n] = [c.slice(0, c.lastIndexOf(':')), Number(c.slice(c.lastIndexOf(':') + 1))];
    assert.ok(cited.includes(c), `${c} not cited`);
    assert.match(lineOf(file, n), re, `${c} no longer holds ${re}`);
  }
});
