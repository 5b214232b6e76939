/**
 * @vigil/advisories — known vulnerabilities of packages, from a local OSV database: the one
 * advisory source of the dependency scanner (scans) and of the vulnerable-package risk (risks).
 * Free of framework and IO beyond reading the database file.
 */
export {
  OsvDatabase,
  OSV_ECOSYSTEMS,
  type AdvisoryMatch,
  type AdvisorySeverity,
  type Ecosystem,
} from './lib/osv-database';
