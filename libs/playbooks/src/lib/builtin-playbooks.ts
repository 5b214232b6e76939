import type { PlaybookDefinition } from './compiled-playbook';

/**
 * The playbooks every tenant has from the start (version 0 until the tenant saves its own
 * version). Thresholds are set so that one user mistyping a password, or one noisy agent, never
 * triggers them; tenants tune them per application with `overrides`.
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
];
