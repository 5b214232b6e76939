/**
 * A realistic, seeded day of web traffic for a few applications, with planted attacks of every
 * class the built-in playbooks cover and the benign look-alikes they must leave alone, as
 * `http.request` and `auth` signals, with its ground truth. The attack and benign pieces are the
 * playbooks' own fixtures (`@vigil/playbooks`), placed at seeded times, applications and
 * addresses over a background of ordinary visitors.
 */
import {
  ATTACK_CLASSES,
  BENIGN_CLASSES,
  nthAddress,
  randomOf,
  SceneWriter,
  type TrafficSignal,
} from '@vigil/playbooks';

/** One planted attack: what must be caught, on which application, against which target. */
export interface PlantedAttack {
  readonly class: string;
  readonly playbook: string;
  readonly app: string;
  readonly target: { readonly ip?: string; readonly user?: string };
  /** Event times of its first and last signal (ms since the epoch). */
  readonly start: number;
  readonly end: number;
}

/** One benign look-alike: the addresses and users no playbook may act on. */
export interface BenignInstance {
  readonly class: string;
  readonly app: string;
  readonly ips: readonly string[];
  readonly users: readonly string[];
}

/** A generated day: its signals in event-time order, and the ground truth. */
export interface GeneratedDay {
  readonly signals: readonly TrafficSignal[];
  readonly attacks: readonly PlantedAttack[];
  readonly benign: readonly BenignInstance[];
  /** Background visitors' addresses (never a target either). */
  readonly visitors: number;
}

/** What to generate. */
export interface DaySettings {
  readonly seed: number;
  /** Midnight (UTC) of the day, ms since the epoch. */
  readonly day: number;
  readonly apps: readonly string[];
  /** Instances of each attack class, and of each benign class. */
  readonly attacksPerClass: number;
  readonly benignPerClass: number;
  /** Ordinary visitors per application over the day. */
  readonly visitorsPerApp: number;
}

/** The defaults: three applications, three instances of each attack class, two of each benign one. */
export const DEFAULT_DAY: DaySettings = {
  seed: 2026,
  day: Date.parse('2026-11-30T00:00:00.000Z'),
  apps: ['shop', 'billing', 'blog'],
  attacksPerClass: 3,
  benignPerClass: 2,
  visitorsPerApp: 1_500,
};

const HOUR = 3_600_000;

/** Generates the day (deterministic for the same settings). */
export function generateDay(settings: DaySettings = DEFAULT_DAY): GeneratedDay {
  const random = randomOf(settings.seed);
  // Pieces start between 01:00 and 20:00, so the longest (3 h) ends within the day.
  const startOf = () => settings.day + HOUR + Math.floor(random() * 19 * HOUR);
  const signals: TrafficSignal[] = [];
  const attacks: PlantedAttack[] = [];
  const benign: BenignInstance[] = [];
  let instance = 0;
  ATTACK_CLASSES.forEach((attack, c) => {
    for (let k = 0; k < settings.attacksPerClass; k++) {
      const app = settings.apps[(c + k) % settings.apps.length] as string;
      // Each attacker gets a /24 of its own (a distributed attack uses 30 of its addresses).
      const ip = nthAddress('45.0.0.0', ++instance * 256);
      const piece = attack.generate({ app, start: startOf(), seed: settings.seed + instance, ip });
      signals.push(...piece.signals);
      const times = piece.signals.map((s) => Date.parse(String(s.event['time'])));
      attacks.push({
        class: attack.name,
        playbook: attack.playbook,
        app,
        target: piece.target ?? {},
        start: Math.min(...times),
        end: Math.max(...times),
      });
    }
  });
  BENIGN_CLASSES.forEach((look, c) => {
    for (let k = 0; k < settings.benignPerClass; k++) {
      const app = settings.apps[(c + k + 1) % settings.apps.length] as string;
      const ip = nthAddress('66.0.0.0', ++instance * 256);
      const piece = look.generate({ app, start: startOf(), seed: settings.seed + instance, ip });
      signals.push(...piece.signals);
      benign.push({ class: look.name, app, ...actorsOf(piece.signals) });
    }
  });
  let visitors = 0;
  for (const app of settings.apps) {
    for (let v = 0; v < settings.visitorsPerApp; v++) {
      const ip = nthAddress('81.0.0.0', ++visitors * 3);
      signals.push(
        ...visit(
          app,
          settings.day + Math.floor(random() * 23 * HOUR),
          settings.seed * 100_000 + visitors,
          ip,
        ),
      );
    }
  }
  signals.sort((a, b) => a.receivedAt - b.receivedAt);
  return { signals, attacks, benign, visitors };
}

/** An ordinary visitor: a login (one in thirty mistypes once first), then pages, a few missing. */
function visit(app: string, start: number, seed: number, ip: string): TrafficSignal[] {
  const w = new SceneWriter({ app, start, seed, ip }, 'visitor');
  const login = `user${seed % 100_000}@example.com`;
  const signals: TrafficSignal[] = [];
  let at = 0;
  if (w.pick(30) === 0) {
    signals.push(w.login(at, login, 'failure'));
    at += 5_000 + w.pick(10_000);
  }
  signals.push(w.login(at, login, 'success'));
  const pages = 8 + w.pick(30);
  for (let page = 0; page < pages; page++) {
    at += 1_000 + w.pick(30_000);
    const missing = w.pick(100) < 2;
    const path = missing ? `/products/${w.pick(100_000)}-old` : `/products/${w.pick(2_000)}`;
    signals.push(w.request(at, { path, status: missing ? 404 : 200 }));
  }
  return signals;
}

function actorsOf(signals: readonly TrafficSignal[]): { ips: string[]; users: string[] } {
  const ips = new Set<string>();
  const users = new Set<string>();
  for (const { event } of signals) {
    const data = event['data'] as {
      client?: { ip: string };
      actor?: { ip: string };
      user?: { login: string };
    };
    const ip = data.client?.ip ?? data.actor?.ip;
    if (ip) {
      ips.add(ip);
    }
    if (data.user?.login) {
      users.add(data.user.login);
    }
  }
  return { ips: [...ips], users: [...users] };
}

/** The day's `http.request` signals of one application as a combined-format access log. */
export function accessLog(day: GeneratedDay, app: string): string {
  const lines: string[] = [];
  for (const { event } of day.signals) {
    if (event['type'] !== 'http.request' || event['subject'] !== app) {
      continue;
    }
    const data = event['data'] as {
      method: string;
      path: string;
      status: number;
      client: { ip: string };
      userAgent?: string;
    };
    const agent = data.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0';
    lines.push(
      `${data.client.ip} - - [${clfTime(String(event['time']))}] "${data.method} ${data.path} HTTP/1.1" ${data.status} ${data.status === 200 ? 5_120 : 153} "-" "${agent}"`,
    );
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `10/Oct/2000:13:55:36 +0000`. */
function clfTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
