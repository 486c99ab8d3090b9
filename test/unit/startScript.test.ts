// What `npm start` says and does when the desktop window cannot start: a browser is opened only
// where there is a display to open it on, and the line points at the URL where it is printed (below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Choice { open: boolean; why: string }
const start = await import(pathToFileURL(join(import.meta.dirname, '..', '..', 'scripts', 'start.mjs')).href) as {
  browserChoice(env: Record<string, string | undefined>, platform: string): Choice;
  fallbackLine(reason: string, download: string, choice: Choice): string;
};

test('a Linux box without DISPLAY/WAYLAND_DISPLAY opens no browser and says why', () => {
  const c = start.browserChoice({}, 'linux');
  assert.deepEqual(c, { open: false, why: 'no display to open a browser on' });
  const line = start.fallbackLine('the Electron binary was never downloaded', '', c);
  assert.match(line, /open the URL printed below/);
  assert.doesNotMatch(line, /above|opening/);
});

test('with a display (or on macOS/Windows) the browser opens, unless KNEEPOINT_NO_OPEN is set', () => {
  assert.equal(start.browserChoice({ DISPLAY: ':0' }, 'linux').open, true);
  assert.equal(start.browserChoice({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux').open, true);
  assert.equal(start.browserChoice({}, 'darwin').open, true);
  assert.equal(start.browserChoice({}, 'win32').open, true);
  assert.deepEqual(start.browserChoice({ DISPLAY: ':0', KNEEPOINT_NO_OPEN: '1' }, 'linux'), { open: false, why: 'KNEEPOINT_NO_OPEN is set' });
  assert.match(start.fallbackLine('x', '', { open: true, why: '' }), /opening the UI in your browser instead \(its URL is printed below\)/);
});
