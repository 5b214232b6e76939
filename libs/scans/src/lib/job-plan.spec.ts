import { jobKey, planJobs } from './job-plan';

describe('planJobs', () => {
  it('gives each kind only the part of the request it uses', () => {
    const jobs = planJobs({
      application: 'shop',
      artifact: { kind: 'directory', ref: 'shop' },
      kinds: ['dependencies', 'ports'],
      targets: { hosts: ['127.0.0.1'], ports: [8080] },
      requestedBy: { kind: 'ci', name: 'ci' },
    });
    expect(jobs).toEqual([
      {
        kind: 'dependencies',
        depth: 0,
        input: {
          artifact: { kind: 'directory', ref: 'shop' },
          hosts: ['127.0.0.1'],
          ports: [8080],
        },
      },
      { kind: 'ports', depth: 0, input: { hosts: ['127.0.0.1'], ports: [8080] } },
    ]);
  });
});

describe('jobKey', () => {
  it('is the same for the same work whatever the order of keys and list items', () => {
    const a = jobKey({ kind: 'ports', input: { hosts: ['b', 'a'], ports: [2, 1] } });
    const b = jobKey({ kind: 'ports', input: { ports: [1, 2], hosts: ['a', 'b'] } });
    expect(a).toBe(b);
  });

  it('differs by kind and by input', () => {
    const input = { hosts: ['a'], ports: [1] };
    expect(jobKey({ kind: 'ports', input })).not.toBe(jobKey({ kind: 'http-headers', input }));
    expect(jobKey({ kind: 'ports', input })).not.toBe(
      jobKey({ kind: 'ports', input: { hosts: ['a'], ports: [2] } }),
    );
  });
});
