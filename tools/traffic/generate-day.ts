/**
 * npm run traffic:day -- <folder> [--seed n] — writes a generated day of traffic (see
 * day-traffic.ts): `signals.ndjson` (one envelope per line, `http.request` and `auth`, in event
 * time order), `access-<app>.log` (the requests of each application in combined log format, for
 * `vigil ingest access-log`) and `truth.json` (the planted attacks and benign look-alikes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessLog, DEFAULT_DAY, generateDay } from './day-traffic';

const [folder, ...rest] = process.argv.slice(2);
if (!folder) {
  console.error('usage: npm run traffic:day -- <folder> [--seed n]');
  process.exit(2);
}
const seedAt = rest.indexOf('--seed');
const seed = seedAt >= 0 ? Number(rest[seedAt + 1]) : DEFAULT_DAY.seed;
if (!Number.isInteger(seed)) {
  console.error('--seed takes an integer');
  process.exit(2);
}
const settings = { ...DEFAULT_DAY, seed };
const day = generateDay(settings);
mkdirSync(folder, { recursive: true });
writeFileSync(
  join(folder, 'signals.ndjson'),
  day.signals.map((s) => JSON.stringify(s.event)).join('\n') + '\n',
);
for (const app of settings.apps) {
  writeFileSync(join(folder, `access-${app}.log`), accessLog(day, app));
}
writeFileSync(
  join(folder, 'truth.json'),
  JSON.stringify({ seed, attacks: day.attacks, benign: day.benign }, null, 2),
);
console.log(
  `wrote ${day.signals.length} signals (${day.attacks.length} planted attacks, ${day.benign.length} benign look-alikes, ${day.visitors} visitors) to ${folder}`,
);
