/** How a list's entries match a value. */
export type ListKind = 'glob' | 'cidr' | 'exact' | 'contains';

/** A named list of values a playbook condition can test membership of (`inList`). */
export interface NamedList {
  readonly name: string;
  readonly kind: ListKind;
  readonly description: string;
  readonly entries: readonly string[];
}

/**
 * The lists Vigil ships, as data. Paths are matched case-insensitively as globs over the raw
 * request path (`**` spans segments, dot files included); user agents by case-insensitive
 * substring. A tenant's list of the same name adds entries (`PUT /v1/playbooks/lists/:name`).
 * Last checked against the probes seen in public honeypot write-ups and the scanners' own
 * default wordlists: 2026-12-04.
 */
export const SHIPPED_LISTS: readonly NamedList[] = [
  {
    name: 'sensitive-paths',
    kind: 'glob',
    description:
      'Files that must never be served and that probes look for: environment and credential files, VCS metadata, backups and dumps, server configuration.',
    entries: [
      '**/.env',
      '**/.env.*',
      '**/.git',
      '**/.git/**',
      '**/.svn/**',
      '**/.hg/**',
      '**/.htpasswd',
      '**/.htaccess',
      '**/.DS_Store',
      '**/.aws/credentials',
      '**/.aws/config',
      '**/.ssh/**',
      '**/id_rsa',
      '**/id_rsa.pub',
      '**/id_ed25519',
      '**/.npmrc',
      '**/.pypirc',
      '**/.docker/config.json',
      '**/.vscode/sftp.json',
      '**/.idea/workspace.xml',
      '**/wp-config.php.*',
      '**/wp-config.php~',
      '**/config.php.bak',
      '**/web.config',
      '**/*.sql',
      '**/*.sql.gz',
      '**/*.sqlite',
      '**/*.bak',
      '**/*.old',
      '**/*.swp',
      '**/*.pem',
      '**/*.key',
      '**/backup.{zip,tar,tar.gz,tgz,rar,7z}',
      '**/dump.{zip,tar,tar.gz,tgz}',
      '**/database.yml',
      '**/secrets.{yml,yaml,json}',
      '**/credentials.{json,xml,yml}',
      '**/etc/passwd',
      '**/etc/shadow',
      '**/phpinfo.php',
      '**/server-status',
      '**/server-info',
      '**/actuator/env',
      '**/actuator/heapdump',
    ],
  },
  {
    name: 'scanner-paths',
    kind: 'glob',
    description:
      'Well-known admin consoles and vulnerable endpoints that scanners try on every site, whatever it runs.',
    entries: [
      '/wp-login.php',
      '/wp-admin/**',
      '/xmlrpc.php',
      '/wp-includes/**',
      '/phpmyadmin/**',
      '/pma/**',
      '/myadmin/**',
      '/admin.php',
      '/administrator/**',
      '/cgi-bin/**',
      '/HNAP1',
      '/boaform/**',
      '/actuator/**',
      '/solr/**',
      '/manager/html',
      '/jmx-console/**',
      '/vendor/phpunit/**',
      '/owa/**',
      '/autodiscover/**',
      '/remote/login',
      '/console/**',
      '/_ignition/**',
      '/telescope/**',
      '/druid/**',
      '/geoserver/**',
      '/setup.cgi',
      '/shell',
      '/cmd',
    ],
  },
  {
    name: 'scanner-user-agents',
    kind: 'contains',
    description: 'User agents of common attack and audit tools, as they send them by default.',
    entries: [
      'sqlmap',
      'nikto',
      'nmap',
      'masscan',
      'zgrab',
      'nuclei',
      'wpscan',
      'dirbuster',
      'gobuster',
      'feroxbuster',
      'ffuf',
      'wfuzz',
      'acunetix',
      'nessus',
      'openvas',
      'whatweb',
      'jaeles',
      'httpx',
    ],
  },
  {
    name: 'verified-clients',
    kind: 'cidr',
    description:
      'Networks whose high request rates are expected (the tenant’s uptime monitors, crawlers it verified by reverse DNS, partners). Shipped empty: a client’s own claim (its user agent) is never proof, so the tenant adds the ranges it verified.',
    entries: [],
  },
];
