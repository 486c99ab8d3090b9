// WebSocket bridge: each browser tab sends {seq, method, args}; the bridge forwards to the engine
// child and answers {seq, result | error}; engine events are broadcast as {event, payload}.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { errorShape } from '../common/errors.ts';
import { parseRpcRequest } from '../common/rpc.ts';
import { MAX_IMPORT_BYTES } from '../common/importLimits.ts';
import { MAX_UPLOAD_MESSAGE_BYTES } from '../common/modelUpload.ts';
import type { EngineChild } from './engineChild.ts';

/**
 * The largest legitimate message: an uploaded model (base64, limit in modelUpload.ts) plus its
 * envelope; imported run files (importLimits.ts) are smaller. A frame declaring more is refused
 * from its header (close 1009) before any of it is buffered.
 */
export const MAX_MESSAGE_BYTES = Math.max(MAX_UPLOAD_MESSAGE_BYTES, Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 2 ** 20);

/** Close code for a binary frame: the protocol is JSON text only. */
const UNSUPPORTED_DATA = 1003;

export interface WsBridge {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  clientCount(): number;
  close(): Promise<void>;
}

export function createWsBridge(engine: EngineChild, log: (line: string) => void = () => {}): WsBridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // Without a listener an 'error' event is thrown, and one client's bad frame would end the whole
  // host (every tab, every running sweep). ws has already answered with the close code the
  // protocol asks for (1009 too big, 1002 protocol error, 1007 invalid UTF-8); only that client goes.
  wss.on('error', (err) => log(`kneepoint: WebSocket server error: ${err.message}`));
  const off = engine.onEvent((event, payload) => {
    const msg = JSON.stringify({ event, payload });
    for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(msg);
  });
  wss.on('connection', (ws) => {
    ws.on('error', (err) => {
      log(`kneepoint: closed a WebSocket client after a bad frame: ${err.message}`);
      if (ws.readyState === WebSocket.OPEN) ws.close(1002);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) { ws.close(UNSUPPORTED_DATA, 'binary frames are not part of this protocol; send JSON text'); return; }
      let raw: unknown;
      try { raw = JSON.parse(String(data)); } catch { raw = null; }
      const req = parseRpcRequest(raw);
      if (!req) {
        const seq = (raw as { seq?: unknown } | null)?.seq;
        ws.send(JSON.stringify({ seq: typeof seq === 'number' ? seq : -1, error: { kind: 'invalid-input', message: 'malformed request: expected {seq, method, args} with a known API method' } }));
        return;
      }
      engine.call(req.method, req.args).then(
        (result) => { if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ seq: req.seq, result })); },
        (err) => { if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ seq: req.seq, error: errorShape(err) })); },
      );
    });
  });
  return {
    handleUpgrade(req, socket, head) {
      // a reset during the handshake must not be thrown either
      socket.on('error', (err) => log(`kneepoint: WebSocket connection error: ${err.message}`));
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    clientCount: () => wss.clients.size,
    async close() {
      off();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
