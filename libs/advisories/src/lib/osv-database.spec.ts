import { OsvDatabase } from './osv-database';

const database = new OsvDatabase([
  {
    id: 'GHSA-npm-1',
    summary: 'Prototype pollution',
    database_specific: { severity: 'HIGH' },
    affected: [
      {
        package: { ecosystem: 'npm', name: 'lodash' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
      },
    ],
  },
  {
    id: 'PYSEC-1',
    summary: 'Path traversal',
    database_specific: { severity: 'CRITICAL' },
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'flask' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { fixed: '2.2.5' }] }],
      },
    ],
  },
  { id: 'broken' },
]);

describe('OsvDatabase', () => {
  it('matches by ecosystem, npm by default, with the first fixed version', () => {
    expect(database.match('lodash', '4.17.20')).toEqual([
      expect.objectContaining({ id: 'GHSA-npm-1', severity: 'high', fixedIn: '4.17.21' }),
    ]);
    expect(database.match('flask', '2.0.1', 'pypi')).toEqual([
      expect.objectContaining({ id: 'PYSEC-1', severity: 'critical', fixedIn: '2.2.5' }),
    ]);
  });

  it('does not match a fixed version, another ecosystem or a version it cannot compare', () => {
    expect(database.match('lodash', '4.17.21')).toEqual([]);
    expect(database.match('flask', '2.0.1')).toEqual([]);
    expect(database.match('lodash', 'not-a-version')).toEqual([]);
  });
});
