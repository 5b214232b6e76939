/** One runtime release line and the day its upstream support ends. */
export interface RuntimeLine {
  readonly runtime: string;
  /** The release line: `20` for Node.js 20.x, `3.10` for Python 3.10.x. */
  readonly line: string;
  /** End of upstream support (security fixes included), ISO date. */
  readonly endOfLife: string;
}

/**
 * When each runtime line stops getting security fixes, from the projects' own release
 * schedules (nodejs.org, python.org, ruby-lang.org, php.net, go.dev, jdk.java.net for non-LTS
 * Java). Lines still supported everywhere are listed with their announced date; a line missing
 * from the table is never reported. Kept as data: update it and the date below together.
 */
export const RUNTIME_EOL_CHECKED = '2026-12-04';

export const RUNTIME_EOL: readonly RuntimeLine[] = [
  ...lines('node', {
    '12': '2022-04-30',
    '14': '2023-04-30',
    '16': '2023-09-11',
    '17': '2022-06-01',
    '18': '2025-04-30',
    '19': '2023-06-01',
    '20': '2026-04-30',
    '21': '2024-06-01',
    '22': '2027-04-30',
    '23': '2025-06-01',
    '24': '2028-04-30',
  }),
  ...lines('python', {
    '3.6': '2021-12-23',
    '3.7': '2023-06-27',
    '3.8': '2024-10-07',
    '3.9': '2025-10-31',
    '3.10': '2026-10-31',
    '3.11': '2027-10-31',
    '3.12': '2028-10-31',
    '3.13': '2029-10-31',
  }),
  ...lines('ruby', {
    '2.7': '2023-03-31',
    '3.0': '2024-04-23',
    '3.1': '2025-03-31',
    '3.2': '2026-03-31',
    '3.3': '2027-03-31',
  }),
  ...lines('php', {
    '7.4': '2022-11-28',
    '8.0': '2023-11-26',
    '8.1': '2025-12-31',
    '8.2': '2026-12-31',
    '8.3': '2027-12-31',
  }),
  ...lines('go', {
    '1.20': '2024-02-06',
    '1.21': '2024-08-13',
    '1.22': '2025-02-11',
    '1.23': '2025-08-12',
    '1.24': '2026-02-10',
  }),
  ...lines('java', {
    '9': '2018-03-20',
    '10': '2018-09-25',
    '12': '2019-09-17',
    '13': '2020-03-17',
    '14': '2020-09-15',
    '15': '2021-03-16',
    '16': '2021-09-14',
    '18': '2022-09-20',
    '19': '2023-03-21',
    '20': '2023-09-19',
  }),
];

function lines(runtime: string, dates: Record<string, string>): RuntimeLine[] {
  return Object.entries(dates).map(([line, endOfLife]) => ({ runtime, line, endOfLife }));
}

/** The line of `version` the table knows (`20.19.0` → node 20, `3.10.4` → python 3.10). */
export function runtimeLineOf(runtime: string, version: string): RuntimeLine | undefined {
  const [major, minor] = version.replace(/^v/, '').split('.');
  return RUNTIME_EOL.find(
    (entry) =>
      entry.runtime === runtime && (entry.line === major || entry.line === `${major}.${minor}`),
  );
}
