/**
 * A combined-format access log of `lines` lines, reproducible from `seed`: three applications'
 * worth of ordinary traffic (pages, assets, API calls, 404s, logins) from a pool of client IPs,
 * one second apart from `start`, with an unreadable line (a TLS handshake sent to the HTTP port,
 * as real logs have) every `junkEvery` lines. Used by the access-log e2e and `bench:logs`.
 *
 * `node tools/scripts/run-ts.js tools/logs/generate-access-log.ts <lines> > access.log` writes one.
 */
export interface GeneratedLog {
  readonly text: string;
  readonly lines: number;
  /** Line numbers (1-based) of the unreadable lines. */
  readonly junk: readonly number[];
  readonly first: Date;
  readonly last: Date;
}

const PATHS = [
  '/',
  '/products',
  '/products/42?ref=home',
  '/cart',
  '/static/app.js',
  '/static/style.css',
  '/api/v1/orders?page=2',
  '/login',
  '/.env',
  '/wp-login.php',
];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64)',
  'curl/8.5.0',
  'Go-http-client/1.1',
  'Mozilla/5.0 (iPhone)',
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Generates the log in memory (100 000 lines ≈ 15 MB). */
export function generateAccessLog(
  lines: number,
  options: { seed?: number; start?: Date; junkEvery?: number } = {},
): GeneratedLog {
  let state = options.seed ?? 42;
  const random = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
  const start = options.start ?? new Date('2026-11-21T00:00:00Z');
  const junkEvery = options.junkEvery ?? 997;
  const out: string[] = [];
  const junk: number[] = [];
  for (let i = 1; i <= lines; i++) {
    const time = new Date(start.getTime() + (i - 1) * 1_000);
    if (i % junkEvery === 0) {
      junk.push(i);
      out.push(
        `198.51.100.${random(250) + 1} - - [${clfTime(time)}] "\\x16\\x03\\x01\\x02" 400 157 "-" "-"`,
      );
      continue;
    }
    const path = PATHS[random(PATHS.length)] ?? '/';
    const method = path === '/login' && random(2) === 0 ? 'POST' : 'GET';
    const status =
      path === '/.env' || path === '/wp-login.php'
        ? 404
        : path === '/login' && method === 'POST'
          ? 401
          : 200;
    const ip = `203.0.113.${random(200) + 1}`;
    const agent = AGENTS[random(AGENTS.length)] ?? '-';
    out.push(
      `${ip} - - [${clfTime(time)}] "${method} ${path} HTTP/1.1" ${status} ${random(20_000)} "-" "${agent}"`,
    );
  }
  return {
    text: `${out.join('\n')}\n`,
    lines,
    junk,
    first: start,
    last: new Date(start.getTime() + (lines - 1) * 1_000),
  };
}

function clfTime(time: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(time.getUTCDate())}/${MONTHS[time.getUTCMonth()]}/${time.getUTCFullYear()}:${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}:${pad(time.getUTCSeconds())} +0000`;
}
