// The web host: the UI in a browser, served on 127.0.0.1 with a per-launch token, talking to the
// engine (in a child process) over a WebSocket. Used by `kneepoint serve` and as the fallback of
// `npm start` when the Electron binary is missing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentSecurityPolicy } from '../common/csp.ts';
import { checkRequest, createToken, sessionCookie } from './auth.ts';
import { startEngineChild } from './engineChild.ts';
import type { EngineChild } from './engineChild.ts';
import { openBrowser } from './openBrowser.ts';
import { securityHeaders, serveStatic, RENDERER_DIR } from './staticFiles.ts';
import { createWsBridge } from './wsBridge.ts';

export interface WebHostOptions {
  /** 0 or absent = a random free port */
  port?: number;
  dbPath?: string;
  dataDir?: string;
  /** open the URL in a browser once listening */
  open?: boolean;
  /** extra environment for the engine process, on top of this one's */
  engineEnv?: Record<string, string>;
  /** where index.html and dist/ live (default: this checkout's renderer/) */
  rendererDir?: string;
  log?: (line: string) => void;
}

export interface WebHost {
  /** http://127.0.0.1:PORT/?token=… — the URL to open */
  url: string;
  token: string;
  port: number;
  engine: EngineChild;
  close(): Promise<void>;
}

export const WS_PATH = '/ws';

export async function startWebHost(opts: WebHostOptions = {}): Promise<WebHost> {
  const token = createToken();
  const log = opts.log ?? ((l: string) => console.error(l));
  const engine = startEngineChild({ dbPath: opts.dbPath, dataDir: opts.dataDir, env: opts.engineEnv, onCrash: log });
  const bridge = createWsBridge(engine, log);
  let port = 0;
  let csp = '';

  const server = createServer((req, res) => {
    const auth = checkRequest(req, { token, port });
    if (!auth.ok) {
      res.writeHead(auth.status, { ...securityHeaders(csp), 'Content-Type': 'text/plain; charset=utf-8' }).end(`${auth.status === 401 ? 'Unauthorized' : 'Forbidden'}: ${auth.reason}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...securityHeaders(csp), Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (auth.via === 'query') {
      // trade the query token for a cookie and drop it from the address bar and history
      url.searchParams.delete('token');
      res.writeHead(303, { ...securityHeaders(csp), 'Set-Cookie': sessionCookie(port, token), Location: url.pathname + url.search + url.hash }).end();
      return;
    }
    void serveStatic(url.pathname, res, csp, opts.rendererDir ?? RENDERER_DIR);
  });
  server.on('upgrade', (req, socket, head) => {
    const auth = checkRequest(req, { token, port });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!auth.ok || path !== WS_PATH) {
      const status = !auth.ok ? auth.status : 404;
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    bridge.handleUpgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  port = (server.address() as AddressInfo).port;
  csp = contentSecurityPolicy({ connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  if (opts.open) {
    if (!openBrowser(url)) log('kneepoint: no browser found to open; open the URL above yourself');
  }

  let closing: Promise<void> | undefined;
  return {
    url, token, port, engine,
    close() {
      closing ??= (async () => {
        await bridge.close();
        await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
        await engine.close();
      })();
      return closing;
    },
  };
}
