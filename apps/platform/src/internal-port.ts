import { createServer } from 'node:net';

/**
 * A port free on `host` now, for a service the launcher starts: fixed for the service's life so
 * that a restarted process keeps the URL the gateway routes to.
 */
export function internalPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
