// Local emulator of the Hugging Face Hub, the Inference Providers router, the text-to-video
// providers behind it and their file CDNs. Where its behaviour comes from: README.md beside this file.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleRequest } from './dispatch';
import { resolveOptions } from './options';
import { createState, resetState, type EmulatorState } from './state';
import type { Emulator, EmulatorOptions, Fault } from './types';

export type * from './types';
export { PROVIDERS } from './types';
export { DEFAULT_PROVIDER_KEYS, DEFAULT_TOKEN } from './options';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const shutdown = new AbortController();
  const state = createState(resolved, shutdown.signal);
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch((error: unknown) => {
      resolved.log?.(`emulator error: ${(error as Error).message}`);
      res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  state.url = await listen(server, resolved.port);
  return {
    url: state.url,
    requests: state.requests,
    injectFault: (fault: Fault) => state.faults.inject(fault),
    clearFaults: () => state.faults.clear(),
    reset: () => resetState(state),
    close: () => close(server, sockets, shutdown, state),
  };
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** Stops held requests, drops every open socket (keep-alive ones too) and waits for the server. */
function close(server: Server, sockets: Set<Socket>, shutdown: AbortController, state: EmulatorState): Promise<void> {
  shutdown.abort();
  state.jobs.clear();
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}
