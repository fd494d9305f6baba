import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { HttpClient } from '../../src/core/http';
import { createDispatcher } from '../../src/core/proxy';

/** A real CONNECT proxy on 127.0.0.1 that counts the tunnels it opened. */
async function startProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  // Tunnelled sockets leave the HTTP server's bookkeeping, so they are closed by hand.
  const sockets = new Set<Duplex>();
  const server: Server = createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request, client, head) => {
    tunnels.push(request.url ?? '');
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('proxies', () => {
  let target: Server;
  let targetUrl: string;
  before(async () => {
    target = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/api`;
  });
  after(() => new Promise<void>((resolve) => {
    target.closeAllConnections();
    target.close(() => resolve());
  }));

  const get = (client: HttpClient) => client.json<{ ok: boolean }>({ method: 'GET', url: targetUrl, signal: new AbortController().signal, service: 'test' });

  it('sends requests through VS Code\'s http.proxy', async () => {
    const proxy = await startProxy();
    try {
      assert.deepEqual(await get(new HttpClient({ userAgent: 't', dispatcher: createDispatcher(proxy.url, {}) })), { ok: true });
      assert.equal(proxy.tunnels.length, 1);
      assert.equal(proxy.tunnels[0], new URL(targetUrl).host);
    } finally {
      await proxy.close();
    }
  });

  it('uses HTTPS_PROXY / HTTP_PROXY from the environment and honours NO_PROXY', async () => {
    const proxy = await startProxy();
    try {
      await get(new HttpClient({ userAgent: 't', dispatcher: createDispatcher(undefined, { HTTP_PROXY: proxy.url }) }));
      assert.equal(proxy.tunnels.length, 1, 'proxied from the environment');
      await get(new HttpClient({ userAgent: 't', dispatcher: createDispatcher(undefined, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }) }));
      assert.equal(proxy.tunnels.length, 1, 'NO_PROXY host went direct');
    } finally {
      await proxy.close();
    }
  });

  it('connects directly when no proxy is configured', async () => {
    assert.deepEqual(await get(new HttpClient({ userAgent: 't', dispatcher: createDispatcher(undefined, {}) })), { ok: true });
  });
});
