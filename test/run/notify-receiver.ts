import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** What a local webhook receiver got: each request's path and JSON body. */
export interface Received {
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  host: string;
  requests: Received[];
}

const open: http.Server[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * A webhook receiver on 127.0.0.1: it answers 204, the status given, or never (`hang`). Closed
 * after each test.
 */
export async function receiver(answer: 'ok' | 'hang' | number = 'ok'): Promise<Receiver> {
  const requests: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ path: request.url ?? '', contentType: request.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      if (answer === 'hang') return;
      response.writeHead(answer === 'ok' ? 204 : answer);
      response.end();
    });
  });
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `http://${host}`, host, requests };
}
