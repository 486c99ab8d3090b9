// Opens a URL in Chromium or the desktop's default browser, if there is one. Returns what it used,
// or null when nothing could be started (the caller then prints the URL).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

function candidates(url: string): Array<[string, string[]]> {
  if (process.platform === 'darwin') return [['open', [url]]];
  if (process.platform === 'win32') return [['cmd', ['/c', 'start', '""', url]]];
  const list: Array<[string, string[]]> = [];
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) {
    list.push(['xdg-open', [url]]);
    for (const c of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) list.push([c, [`--app=${url}`]]);
  }
  return list;
}

export function openBrowser(url: string): string | null {
  for (const [cmd, args] of candidates(url)) {
    if (cmd.startsWith('/') && !existsSync(cmd)) continue;
    if (!cmd.startsWith('/') && !['open', 'cmd'].includes(cmd) && !onPath(cmd)) continue;
    try {
      const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
      child.on('error', () => { /* reported by the printed URL */ });
      child.unref();
      return cmd;
    } catch { /* try the next one */ }
  }
  return null;
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(`${d}/${cmd}`));
}
