import { PlatformTraffic } from './platform-traffic';

interface Envelope {
  id: string;
  type: string;
  subject: string;
  data: { actor?: { ip: string }; user?: { login: string }; outcome?: string };
}

const sample = (batches: number): Envelope[] => {
  const traffic = new PlatformTraffic('spec');
  return Array.from(
    { length: batches },
    () => JSON.parse(traffic.next(100).toString()) as Envelope[],
  ).flat();
};

describe('the platform benchmark traffic', () => {
  const signals = sample(300);

  it('gives every signal its own id and the documented mix of types', () => {
    expect(new Set(signals.map((s) => s.id)).size).toBe(signals.length);
    const share = (type: string) => signals.filter((s) => s.type === type).length / signals.length;
    expect([
      share('attack'),
      share('auth'),
      share('metric'),
      share('runtime'),
      share('finding'),
    ]).toEqual([0.3, 0.3, 0.24, 0.14, 0.02]);
  });

  it('never lets a background account be seen from several addresses, nor an address try several accounts', () => {
    const background = signals.filter(
      (s) => s.type === 'auth' && !s.data.actor?.ip.startsWith('198.51.'),
    );
    const ipsOfUser = new Map<string, Set<string>>();
    const usersOfIp = new Map<string, Set<string>>();
    for (const { data } of background) {
      const [ip, user] = [data.actor?.ip ?? '', data.user?.login ?? ''];
      ipsOfUser.set(user, (ipsOfUser.get(user) ?? new Set()).add(ip));
      usersOfIp.set(ip, (usersOfIp.get(ip) ?? new Set()).add(user));
    }
    expect(Math.max(...[...ipsOfUser.values()].map((ips) => ips.size))).toBe(1);
    expect(Math.max(...[...usersOfIp.values()].map((users) => users.size))).toBe(1);
  });

  it('has attackers that cross the built-in thresholds: 50 attacks and 10 accounts from one IP', () => {
    const attacksOf = new Map<string, number>();
    const accountsOf = new Map<string, Set<string>>();
    for (const { type, subject, data } of signals.filter((s) =>
      s.data.actor?.ip.startsWith('198.51.'),
    )) {
      const key = `${subject} ${data.actor?.ip}`;
      if (type === 'attack') {
        attacksOf.set(key, (attacksOf.get(key) ?? 0) + 1);
      } else if (data.outcome === 'failure') {
        accountsOf.set(key, (accountsOf.get(key) ?? new Set()).add(data.user?.login ?? ''));
      }
    }
    expect(Math.max(...attacksOf.values())).toBeGreaterThanOrEqual(50);
    expect(Math.max(...[...accountsOf.values()].map((users) => users.size))).toBeGreaterThanOrEqual(
      10,
    );
  });
});
