import { findSchemasDir } from './find-schemas-dir';
import { SchemaRegistry } from './schema-registry';
import { auditSchemaBounds } from './tenant-schemas/schema-bounds';

/**
 * House rules for contracts, checked on every schema in `schemas/`: a title, a description on
 * every field, and a bound on every string, array and open map ({@link auditSchemaBounds}, the
 * same rules tenant schemas must follow).
 */
const registry = SchemaRegistry.fromDirectory(findSchemasDir() as string);

describe.each(registry.list().map((s) => [s.file, s]))('%s', (_file, entry) => {
  it('has a title and a description', () => {
    expect(typeof entry.schema['title']).toBe('string');
    expect(typeof entry.schema['description']).toBe('string');
  });

  it('describes every field and bounds every string, array and map', () => {
    expect(auditSchemaBounds(entry.schema)).toEqual([]);
  });
});
