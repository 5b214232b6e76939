import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '@nats-io/nkeys';
import { startNatsServer, type TestNatsServer } from '@vigil/testing';
import { connectBus } from './bus-connection';

/** A bus that takes only TLS clients holding one nkey (real nats-server, openssl-made certificate). */
describe('connectBus with an nkey over TLS (real nats-server)', () => {
  let nats: TestNatsServer;
  let dir: string;
  let seedFile: string;
  let caFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-bus-tls-'));
    caFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        keyFile,
        '-out',
        caFile,
      ],
      { stdio: 'ignore' },
    );
    const user = createUser();
    seedFile = join(dir, 'vigil.nk');
    writeFileSync(seedFile, `${new TextDecoder().decode(user.getSeed())}\n`, { mode: 0o600 });
    const config = join(dir, 'nats.conf');
    writeFileSync(
      config,
      [
        `tls { cert_file: "${caFile}", key_file: "${keyFile}" }`,
        `authorization { users = [ { nkey: "${user.getPublicKey()}" } ] }`,
      ].join('\n'),
    );
    nats = await startNatsServer({ extraArgs: ['-c', config] });
  });

  afterAll(async () => {
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the seed file and the CA, and is refused without either', async () => {
    const nc = await connectBus({
      servers: nats.url,
      name: 'nkey-tls',
      credentials: { nkeySeedFile: seedFile, tls: { caFile } },
    });
    expect(await nc.rtt()).toBeGreaterThanOrEqual(0);
    expect(nc.info?.tls_required).toBe(true);
    await nc.close();

    await expect(
      connectBus({
        servers: nats.url,
        name: 'no-key',
        connectTimeoutMs: 2_000,
        credentials: { tls: { caFile } },
      }),
    ).rejects.toThrow(/authorization|auth/i);
    await expect(
      connectBus({
        servers: nats.url,
        name: 'no-ca',
        connectTimeoutMs: 2_000,
        credentials: { nkeySeedFile: seedFile },
      }),
    ).rejects.toThrow(/certificate|self.signed|tls/i);
  });
});
