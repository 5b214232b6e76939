import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv-factory';
import {
  formatSchemaId,
  parseSchemaId,
  schemaTypeName,
  type SchemaKind,
  type SchemaRef,
} from './schema-id';
import { SchemaLoadError } from './schema-load-error';
import { readSchemaSources, type SchemaSource } from './schema-loader';
import { createTenantAjv } from './tenant-schemas/tenant-ajv';
import type {
  SchemaStatus,
  TenantSchemaDefinition,
} from './tenant-schemas/tenant-schema-definition';
import { isTenantType } from './tenant-schemas/tenant-type';

/** A schema compiled once and ready to validate. */
export interface RegisteredSchema extends SchemaRef {
  /** The schema's `$id`. */
  readonly id: string;
  /** Where it came from (a file relative to the schemas folder, or a tenant registration). */
  readonly file: string;
  /** Name of the TypeScript type generated from it. */
  readonly typeName: string;
  readonly schema: Readonly<Record<string, unknown>>;
  readonly validate: ValidateFunction;
  /** The tenant that registered it; absent for the platform's built-in schemas. */
  readonly owner?: string;
  /** Built-in schemas are always active; a tenant deprecates or disables its own versions. */
  readonly status: SchemaStatus;
  /** A tenant schema's stored definition (absent for built-in schemas). */
  readonly definition?: TenantSchemaDefinition;
}

/**
 * Every known schema, compiled once with ajv in strict mode and looked up by kind, name and
 * version. Build it at start-up with {@link SchemaRegistry.fromDirectory}; a broken schema
 * stops start-up with a {@link SchemaLoadError} naming its file.
 */
export class SchemaRegistry {
  private readonly ajv: Ajv = createAjv();
  /** Tenant schemas compile apart: self-contained, their patterns on RE2. */
  private readonly tenantAjv: Ajv = createTenantAjv();
  private readonly byKey = new Map<string, RegisteredSchema>();
  /** Sorted versions per kind and name, kept current by `addAll` (the write path asks per signal). */
  private readonly versionIndex = new Map<string, number[]>();

  /** Loads and compiles every `schema.json` below `dir`. */
  static fromDirectory(dir: string): SchemaRegistry {
    const registry = new SchemaRegistry();
    registry.addAll(readSchemaSources(dir));
    return registry;
  }

  /**
   * Adds schemas, all or none: each is checked for a valid Vigil `$id` and a unique identity,
   * then compiled. On error nothing is added.
   */
  addAll(sources: readonly SchemaSource[]): RegisteredSchema[] {
    const refs = sources.map((source) => this.checkIdentity(source, sources));
    const staged: string[] = [];
    try {
      for (const source of sources) {
        this.stage(source);
        staged.push(idOf(source));
      }
      const added = sources.map((source, i) => this.compile(source, refs[i] as SchemaRef));
      added.forEach((entry) => this.index(entry));
      return added;
    } catch (error) {
      for (const id of staged) {
        this.ajv.removeSchema(id);
      }
      throw error;
    }
  }

  /**
   * Adds a tenant's schema version, or applies a new status to one already here (its schema
   * never changes). The definition is trusted: the registration use case screened and
   * trial-compiled it before storing it. Throws when it is not a tenant type or belongs to
   * another tenant.
   */
  putTenantSchema(definition: TenantSchemaDefinition): RegisteredSchema {
    const ref: SchemaRef = { kind: 'signal', name: definition.type, version: definition.version };
    if (!isTenantType(definition.type)) {
      throw new Error(`"${definition.type}" is not a tenant type (x-<namespace>.<name>)`);
    }
    const existing = this.byKey.get(keyOf(ref));
    if (existing && existing.owner !== definition.tenant) {
      throw new Error(`${describeRef(ref)} belongs to another tenant`);
    }
    const entry: RegisteredSchema = existing
      ? { ...existing, status: definition.status, definition }
      : this.compileTenant(definition, ref);
    this.index(entry);
    return entry;
  }

  /** The built-in schemas and the tenant's own, ordered like {@link list}. */
  visibleTo(tenant: string): RegisteredSchema[] {
    return this.list().filter((entry) => entry.owner === undefined || entry.owner === tenant);
  }

  /** The schema of `kind`/`name` at `version`, if registered. */
  get(kind: SchemaKind, name: string, version: number): RegisteredSchema | undefined {
    return this.byKey.get(keyOf({ kind, name, version }));
  }

  /** The schema with this `$id`, if registered. */
  getById(id: string): RegisteredSchema | undefined {
    const ref = parseSchemaId(id);
    return ref ? this.get(ref.kind, ref.name, ref.version) : undefined;
  }

  /** Registered versions of `kind`/`name`, ascending. */
  versions(kind: SchemaKind, name: string): number[] {
    return [...(this.versionIndex.get(`${kind}:${name}`) ?? [])];
  }

  /** Every registered schema, ordered by kind, name and version. */
  list(): RegisteredSchema[] {
    return [...this.byKey.values()].sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.version - b.version,
    );
  }

  private index(entry: RegisteredSchema): void {
    const isNew = !this.byKey.has(keyOf(entry));
    this.byKey.set(keyOf(entry), entry);
    if (isNew) {
      const name = `${entry.kind}:${entry.name}`;
      this.versionIndex.set(
        name,
        [...(this.versionIndex.get(name) ?? []), entry.version].sort((a, b) => a - b),
      );
    }
  }

  private compileTenant(definition: TenantSchemaDefinition, ref: SchemaRef): RegisteredSchema {
    const id = formatSchemaId(ref);
    const schema = { ...definition.schema, $id: id };
    return {
      ...ref,
      id,
      file: `tenant ${definition.tenant}`,
      typeName: schemaTypeName(ref),
      schema,
      validate: this.tenantAjv.compile(schema),
      owner: definition.tenant,
      status: definition.status,
      definition,
    };
  }

  private checkIdentity(source: SchemaSource, batch: readonly SchemaSource[]): SchemaRef {
    const id = source.schema['$id'];
    if (typeof id !== 'string') {
      throw new SchemaLoadError(source.file, 'the schema has no "$id"');
    }
    const ref = parseSchemaId(id);
    if (!ref) {
      throw new SchemaLoadError(
        source.file,
        `"$id" ${JSON.stringify(id)} does not follow urn:vigil:envelope:<version> or urn:vigil:<signal|document>:<name>:<version>`,
      );
    }
    if (ref.kind === 'signal' && isTenantType(ref.name)) {
      throw new SchemaLoadError(source.file, 'the "x-" prefix is reserved for tenant types');
    }
    const existing = this.byKey.get(keyOf(ref));
    const earlier = batch.slice(0, batch.indexOf(source));
    const twin = earlier.find((other) => other.schema['$id'] === id);
    if (existing || twin) {
      const other = existing?.file ?? twin?.file;
      throw new SchemaLoadError(source.file, `${describeRef(ref)} is already defined by ${other}`);
    }
    return ref;
  }

  /** Adds the schema to ajv (checked against its meta-schema) so that `$ref`s across files resolve. */
  private stage(source: SchemaSource): void {
    try {
      this.ajv.addSchema(source.schema);
    } catch (error) {
      throw new SchemaLoadError(source.file, `invalid JSON Schema: ${(error as Error).message}`);
    }
  }

  private compile(source: SchemaSource, ref: SchemaRef): RegisteredSchema {
    let validate: ValidateFunction | undefined;
    try {
      validate = this.ajv.getSchema(idOf(source));
    } catch (error) {
      throw new SchemaLoadError(source.file, `invalid JSON Schema: ${(error as Error).message}`);
    }
    if (!validate) {
      throw new SchemaLoadError(source.file, 'the schema could not be compiled');
    }
    return {
      ...ref,
      id: idOf(source),
      file: source.file,
      typeName: schemaTypeName(ref),
      schema: source.schema,
      validate,
      status: 'active',
    };
  }
}

function idOf(source: SchemaSource): string {
  return source.schema['$id'] as string;
}

function keyOf(ref: SchemaRef): string {
  return `${ref.kind}:${ref.name}:${ref.version}`;
}

function describeRef(ref: SchemaRef): string {
  return ref.kind === 'envelope'
    ? `envelope version ${ref.version}`
    : `${ref.kind} "${ref.name}" version ${ref.version}`;
}
