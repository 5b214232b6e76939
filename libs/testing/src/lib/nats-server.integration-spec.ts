import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { startNatsServer, type TestNatsServer } from './nats-server';

/** Reads the INFO line a NATS server sends on connect (the protocol's greeting). */
function readInfo(port: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      const line = buffer.split('\r\n')[0] ?? '';
      if (buffer.includes('\r\n') && line.startsWith('INFO ')) {
        socket.destroy();
        resolve(JSON.parse(line.slice(5)) as Record<string, unknown>);
      }
    });
    socket.on('error', reject);
  });
}

describe('startNatsServer (real nats-server)', () => {
  let nats: TestNatsServer;

  beforeAll(async () => {
    nats = await startNatsServer();
  });

  afterAll(() => nats.stop());

  it('serves the NATS protocol with JetStream on its own port', async () => {
    const info = await readInfo(nats.port);
    expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
    expect(info['port']).toBe(nats.port);
    expect(info['jetstream']).toBe(true);
  });

  it('gives two servers different ports and stores', async () => {
    const other = await startNatsServer();
    try {
      expect(other.port).not.toBe(nats.port);
      expect(other.storeDir).not.toBe(nats.storeDir);
    } finally {
      await other.stop();
    }
  });

  it('stops the server and deletes its store', async () => {
    const other = await startNatsServer();
    await other.stop();
    await other.stop();
    expect(existsSync(other.storeDir)).toBe(false);
    await expect(readInfo(other.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('pauses and resumes on the same port, keeping its store', async () => {
    await nats.pause();
    await expect(readInfo(nats.port)).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(nats.storeDir)).toBe(true);
    await nats.resume();
    expect((await readInfo(nats.port))['port']).toBe(nats.port);
  });

  it('says how to install nats-server when the binary is missing', async () => {
    await expect(startNatsServer({ binary: 'nats-server-that-does-not-exist' })).rejects.toThrow(
      /not on PATH; install nats-server/,
    );
  });
});
