import { followUpJobs, OPEN_HTTP_PORT_RULE, type CompletedJob } from './feedback-rules';
import { jobKey } from './job-plan';

const KINDS = ['ports', 'http-headers'];
const portsJob = (depth = 0): CompletedJob => ({
  kind: 'ports',
  depth,
  observations: [
    { type: 'open-port', host: '127.0.0.1', port: 8080, service: 'http' },
    { type: 'open-port', host: '127.0.0.1', port: 5432 },
    { type: 'open-port', host: '127.0.0.1', port: 8080, service: 'http' },
  ],
});

describe('followUpJobs', () => {
  it('turns an open HTTP port into one http-headers job of that port, one level deeper', () => {
    expect(followUpJobs(portsJob(), [OPEN_HTTP_PORT_RULE], new Set(), 2, KINDS)).toEqual([
      {
        kind: 'http-headers',
        input: { hosts: ['127.0.0.1'], ports: [8080] },
        depth: 1,
        rule: 'open-http-port→http-headers',
      },
    ]);
  });

  it('queues nothing the scan already has', () => {
    const existing = new Set([
      jobKey({ kind: 'http-headers', input: { hosts: ['127.0.0.1'], ports: [8080] } }),
    ]);
    expect(followUpJobs(portsJob(), [OPEN_HTTP_PORT_RULE], existing, 2, KINDS)).toEqual([]);
  });

  it('stops at the maximum depth', () => {
    expect(followUpJobs(portsJob(2), [OPEN_HTTP_PORT_RULE], new Set(), 2, KINDS)).toEqual([]);
  });

  it('never follows a job with a job of its own kind', () => {
    const selfRule = { ...OPEN_HTTP_PORT_RULE, follow: () => ({ kind: 'ports', input: {} }) };
    expect(followUpJobs(portsJob(), [selfRule], new Set(), 5, KINDS)).toEqual([]);
  });

  it('skips kinds the platform does not run', () => {
    expect(followUpJobs(portsJob(), [OPEN_HTTP_PORT_RULE], new Set(), 2, ['ports'])).toEqual([]);
  });
});
