import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { readSchemaSources, parseSchemaId, schemaTypeName, type SchemaRef } from '@vigil/signals';

const BANNER = `/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/{file}. Regenerate with \`npm run codegen\`; CI fails when this file drifts.
 */`;

interface Contract {
  readonly ref: SchemaRef;
  readonly typeName: string;
  readonly fileName: string;
}

/** Renders one `.ts` file per schema plus an `index.ts` and the signal type map; name → content. */
export async function renderGeneratedTypes(schemasDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const contracts: Contract[] = [];
  for (const source of readSchemaSources(schemasDir)) {
    const ref = parseSchemaId(String(source.schema['$id']));
    if (!ref) {
      throw new Error(`${source.file}: "$id" does not follow the Vigil convention`);
    }
    const contract = {
      ref,
      typeName: schemaTypeName(ref),
      fileName: `${kebab(schemaTypeName(ref))}.ts`,
    };
    files.set(contract.fileName, await renderSchema(source.schema, contract.typeName, source.file));
    contracts.push(contract);
  }
  files.set('signal-payload-map.ts', renderPayloadMap(contracts));
  files.set('index.ts', renderIndex(contracts));
  return files;
}

async function renderSchema(
  schema: Record<string, unknown>,
  typeName: string,
  file: string,
): Promise<string> {
  // The root's title is documentation and its $id a URN: the type name comes from the
  // Vigil naming rule instead, so it is stable and readable.
  const { title: _title, $id: _id, ...anonymous } = structuredClone(schema);
  return compile(anonymous as JSONSchema, typeName, {
    bannerComment: BANNER.replace('{file}', file),
    additionalProperties: false,
    strictIndexSignatures: true,
    unreachableDefinitions: false,
    declareExternallyReferenced: true,
    // Bounds stay in the schema (ajv enforces them); as tuple types they multiply a 16-item
    // array into 16 copies of its item type.
    maxItems: -1,
    style: { singleQuote: true, printWidth: 100, trailingComma: 'all' },
  });
}

function renderPayloadMap(contracts: readonly Contract[]): string {
  const signals = contracts.filter((c) => c.ref.kind === 'signal');
  const byType = new Map<string, Contract[]>();
  for (const contract of signals) {
    byType.set(contract.ref.name, [...(byType.get(contract.ref.name) ?? []), contract]);
  }
  const imports = signals.map(
    (c) => `import type { ${c.typeName} } from './${c.fileName.replace(/\.ts$/, '')}';`,
  );
  const entries = [...byType].map(([type, versions]) => {
    const inner = versions.map((c) => `${c.ref.version}: ${c.typeName};`).join(' ');
    return `  '${type}': { ${inner} };`;
  });
  return [
    BANNER.replace('{file}', 'signals/*'),
    ...imports,
    '',
    '/** Payload type of every built-in signal type, by type and version. */',
    'export interface SignalPayloadMap {',
    ...entries,
    '}',
    '',
    '/** The built-in signal types. */',
    'export type BuiltInSignalType = keyof SignalPayloadMap;',
    '',
  ].join('\n');
}

function renderIndex(contracts: readonly Contract[]): string {
  const lines = contracts.map((c) => `export type * from './${c.fileName.replace(/\.ts$/, '')}';`);
  return [
    BANNER.replace('{file}', '*'),
    ...lines,
    "export type * from './signal-payload-map';",
    '',
  ].join('\n');
}

function kebab(typeName: string): string {
  return typeName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
