// WebSocket bridge: each browser tab sends {seq, method, args}; the bridge forwards to the engine
// child and answers {seq, result | error}; engine events are broadcast as {event, payload}.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { errorShape } from '../common/errors.ts';
import { parseRpcRequest } from '../common/rpc.ts';
import { MAX_UPLOAD_MESSAGE_BYTES } from '../common/modelUpload.ts';
import type { EngineChild } from './engineChild.ts';

/** Uploaded models and imported run files travel as base64 in one message (limit: modelUpload.ts). */
const MAX_MESSAGE_BYTES = MAX_UPLOAD_MESSAGE_BYTES;

export interface WsBridge {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  clientCount(): number;
  close(): Promise<void>;
}

export function createWsBridge(engine: EngineChild): WsBridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const off = engine.onEvent((event, payload) => {
    const msg = JSON.stringify({ event, payload });
    for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(msg);
  });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
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
