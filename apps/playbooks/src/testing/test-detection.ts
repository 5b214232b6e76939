import type { Detection } from '@vigil/playbooks';

let sequence = 0;

/** A credential-stuffing detection of `app` that blocks `ip` for 15 minutes, with a fresh id. */
export function testDetection(app: string, ip: string): Detection {
  sequence++;
  const now = new Date().toISOString();
  return {
    id: `det_test${String(sequence).padStart(6, '0')}`,
    revised: false,
    tenant: 'acme',
    playbookId: 'credential-stuffing',
    playbookVersion: 0,
    playbookName: 'Credential stuffing',
    thresholdName: 'default',
    simulated: false,
    app,
    group: { '/data/actor/ip': ip },
    count: 10,
    threshold: 10,
    windowSeconds: 60,
    signalsSeen: 10,
    firstSeen: now,
    lastSeen: now,
    sampleIds: [`evt-${sequence}`],
    triggerId: `evt-${sequence}`,
    detectedAt: now,
    response: { action: 'block-ip', ip, until: new Date(Date.now() + 900_000).toISOString() },
  };
}
