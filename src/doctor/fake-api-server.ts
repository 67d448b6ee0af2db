import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isRecord } from '../is-record.js';

/** A request's JSON body: `{}` when it is empty, not JSON, or not an object. */
export type FakeApiBody = Record<string, unknown>;

/** Waits `ms` on a timer the server clears when it closes, so a late answer never keeps a process alive. */
export type FakeApiWait = (ms: number) => Promise<void>;

export type FakeApiHandler = (req: IncomingMessage, res: ServerResponse, body: FakeApiBody, wait: FakeApiWait) => Promise<void>;

export interface FakeApiServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The HTTP side shared by the fake model APIs: a server on 127.0.0.1 that reads each request's
 * JSON body and hands it to `handle`; a request whose handler throws is cut off.
 */
export async function startFakeApiServer(port: number | undefined, handle: FakeApiHandler): Promise<FakeApiServer> {
  const delays = new Set<NodeJS.Timeout>();
  const wait: FakeApiWait = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.add(timer);
    });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, parseBody(Buffer.concat(chunks).toString('utf8')), wait).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of delays) clearTimeout(timer);
        delays.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseBody(raw: string): FakeApiBody {
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
