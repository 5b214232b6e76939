import type { PlaybookDefinition } from './compiled-playbook';

/**
 * The playbooks every tenant has from the start (version 0 until the tenant saves its own
 * version), one per common behavioural attack class. Thresholds are set so that the benign
 * look-alikes in `fixtures/` never trigger them (search crawlers, an uptime monitor, a partner
 * API client, an office behind one NAT, a user who mistypes a password); tenants tune them per
 * application with `overrides`. The first four are language version 1 documents and stay so,
 * so that tenants' tuned versions of them keep their meaning.
 */
export const BUILTIN_PLAYBOOKS: readonly PlaybookDefinition[] = [
  {
    id: 'attack-peak',
    name: 'Attack peak',
    description:
      'Many attack signals from one IP across all agents of an application: an automated attack in progress. Blocks the IP.',
    match: { type: 'attack' },
    groupBy: ['/subject', '/data/actor/ip'],
    windowSeconds: 60,
    threshold: { count: 50 },
    response: { action: 'block-ip', target: '/data/actor/ip', durationSeconds: 900 },
  },
  {
    id: 'credential-stuffing',
    name: 'Credential stuffing',
    description:
      'Failed logins from one IP over many distinct users: leaked credentials being tried. Blocks the IP.',
    match: { type: 'auth', where: [{ field: '/data/outcome', equals: 'failure' }] },
    groupBy: ['/subject', '/data/actor/ip'],
    windowSeconds: 300,
    threshold: { count: 10, distinct: '/data/user/login' },
    response: { action: 'block-ip', target: '/data/actor/ip', durationSeconds: 1800 },
  },
  {
    id: 'account-takeover',
    name: 'Account takeover attempt',
    description:
      'Failed logins on one user from many distinct IPs: a distributed attack on one account. Blocks the user.',
    match: { type: 'auth', where: [{ field: '/data/outcome', equals: 'failure' }] },
    groupBy: ['/subject', '/data/user/login'],
    windowSeconds: 600,
    threshold: { count: 5, distinct: '/data/actor/ip' },
    response: { action: 'block-user', target: '/data/user/login', durationSeconds: 900 },
  },
  {
    id: 'scanner',
    name: 'Vulnerability scanner',
    description:
      'Many distinct attack categories from one IP in a short window: a scanner probing the application. Blocks the IP.',
    match: { type: 'attack' },
    groupBy: ['/subject', '/data/actor/ip'],
    windowSeconds: 120,
    threshold: { count: 4, distinct: '/data/category' },
    response: { action: 'block-ip', target: '/data/actor/ip', durationSeconds: 3600 },
  },
  {
    language: 2,
    id: 'sensitive-file-probe',
    name: 'Sensitive file probe',
    description:
      'Requests for files that must never be served (environment files, VCS metadata, backups, keys), from one IP: a burst of a few within a minute, or a handful spread over hours. Blocks the IP.',
    match: {
      type: 'http.request',
      where: [{ field: '/data/path', inList: 'sensitive-paths' }],
    },
    groupBy: ['/subject', '/data/client/ip'],
    thresholds: [
      { name: 'burst', windowSeconds: 60, count: 3, distinct: '/data/path' },
      { name: 'slow', windowSeconds: 7_200, count: 6, distinct: '/data/path' },
    ],
    response: { action: 'block-ip', target: '/data/client/ip', durationSeconds: 3_600 },
  },
  {
    language: 2,
    id: 'path-scan',
    name: 'Path scan',
    description:
      'Many distinct paths answered 404 to one IP: fast content discovery (a wordlist at full speed) or a slow scan that stays under rate limits for hours. Crawlers following a few broken links stay far below. Blocks the IP.',
    match: { type: 'http.request', where: [{ field: '/data/status', in: [404] }] },
    groupBy: ['/subject', '/data/client/ip'],
    thresholds: [
      { name: 'fast', windowSeconds: 60, count: 40, distinct: '/data/path' },
      { name: 'slow', windowSeconds: 3_600, count: 300, distinct: '/data/path' },
    ],
    response: { action: 'block-ip', target: '/data/client/ip', durationSeconds: 7_200 },
  },
  {
    language: 2,
    id: 'brute-force',
    name: 'Brute force on one account',
    description:
      'Failed logins on one account from one IP: a password being guessed. A user mistyping a few times stays below. Blocks the IP.',
    match: { type: 'auth', where: [{ field: '/data/outcome', equals: 'failure' }] },
    groupBy: ['/subject', '/data/actor/ip', '/data/user/login'],
    thresholds: [
      { name: 'burst', windowSeconds: 300, count: 10 },
      { name: 'slow', windowSeconds: 3_600, count: 30 },
    ],
    response: { action: 'block-ip', target: '/data/actor/ip', durationSeconds: 1_800 },
  },
  {
    language: 2,
    id: 'password-spraying',
    name: 'Password spraying',
    description:
      'Failed logins from one IP on many distinct accounts over an hour, each tried once or twice: one common password tried everywhere, slowly enough to stay under credential-stuffing thresholds. Blocks the IP.',
    match: { type: 'auth', where: [{ field: '/data/outcome', equals: 'failure' }] },
    groupBy: ['/subject', '/data/actor/ip'],
    thresholds: [{ name: 'slow', windowSeconds: 3_600, count: 20, distinct: '/data/user/login' }],
    response: { action: 'block-ip', target: '/data/actor/ip', durationSeconds: 3_600 },
  },
  {
    language: 2,
    id: 'request-flood',
    name: 'Abusive request rate',
    description:
      'More than 50 requests a second for a minute from one IP. Networks in the `verified-clients` list (the tenant’s monitors, crawlers it verified, partners) are exempt. Blocks the IP.',
    match: {
      type: 'http.request',
      where: [{ field: '/data/client/ip', inList: 'verified-clients', not: true }],
    },
    groupBy: ['/subject', '/data/client/ip'],
    thresholds: [{ name: 'minute', windowSeconds: 60, count: 3_000 }],
    response: { action: 'block-ip', target: '/data/client/ip', durationSeconds: 600 },
  },
];
