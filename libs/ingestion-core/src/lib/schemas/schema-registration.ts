import {
  checkCompatibility,
  namespaceOf,
  screenTenantSchema,
  tenantTypeProblem,
  toValidationIssues,
  validationIssue,
  type RegisteredSchema,
  type SchemaRegistrationV1,
  type SchemaRegistry,
  type SchemaStatus,
  type TenantSchemaDefinition,
} from '@vigil/signals';
import { SchemaRegistrationError } from './schema-registration-error';
import { compileOnTrial, type TrialVerdict } from './schema-trial';

/** Where registrations are stored and distributed from (the bus's `SchemaCatalog`). */
export interface TenantSchemaStore {
  /** True when the tenant owns the namespace (now or already). */
  claimNamespace(namespace: string, tenant: string): Promise<boolean>;
  /** False when the version exists already. */
  create(definition: TenantSchemaDefinition): Promise<boolean>;
  update(definition: TenantSchemaDefinition): Promise<void>;
}

/** Bounds of the registration use case. */
export interface SchemaRegistrationLimits {
  /** Schema versions one tenant may hold, every type together. */
  readonly maxVersionsPerTenant: number;
}

/** What a registration answers. */
export interface Registered {
  readonly definition: TenantSchemaDefinition;
  readonly entry: RegisteredSchema;
  /** False when the same schema was already registered under that version (nothing changed). */
  readonly created: boolean;
}

/**
 * Registers tenants' signal types and changes their status. A registration is screened (bounds,
 * keywords, patterns: {@link screenTenantSchema}), checked against the previous version
 * ({@link checkCompatibility}), compiled on trial in a worker, and only then does it claim the
 * namespace and get stored; the local registry takes it at once, every other service when the
 * catalog delivers it.
 */
export class SchemaRegistration {
  constructor(
    private readonly registry: SchemaRegistry,
    private readonly store: TenantSchemaStore,
    private readonly limits: SchemaRegistrationLimits,
    private readonly trial: (
      schema: Record<string, unknown>,
    ) => Promise<TrialVerdict> = compileOnTrial,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Registers one version; throws {@link SchemaRegistrationError} with every reason when refused. */
  async register(tenant: string, body: unknown): Promise<Registered> {
    const request = this.checkRequest(body);
    const schema = withTitle(request);
    if (typeof schema['description'] !== 'string') {
      const issue = validationIssue(
        '/description',
        'required',
        'is required: say what one signal of this type reports (here or in the schema)',
      );
      throw new SchemaRegistrationError('invalid-registration', issue.message, [issue]);
    }
    const screened = screenTenantSchema(schema);
    if (screened.length > 0) {
      const tooLarge = screened[0]?.rule === 'schema-too-large';
      throw new SchemaRegistrationError(
        tooLarge ? 'schema-too-large' : 'invalid-schema',
        `the schema of "${request.type}" is refused: ${screened[0]?.message}`,
        screened.map((issue) => ({ ...issue, pointer: `/schema${issue.pointer}` })),
      );
    }
    const owned = this.ownedVersions(tenant, request.type);
    const version = request.version ?? (owned.at(-1)?.version ?? 0) + 1;
    const same = owned.find((entry) => entry.version === version);
    if (same) {
      return this.sameVersion(same, schema, request.type, version);
    }
    this.checkSequence(tenant, request.type, version, owned);
    const previous = owned.at(-1);
    if (previous) {
      this.checkCompatible(previous, schema, request.type, version);
    }
    const verdict = await this.trial(schema);
    if (!verdict.ok) {
      throw new SchemaRegistrationError(
        'invalid-schema',
        `the schema of "${request.type}" does not compile: ${verdict.message}`,
      );
    }
    return this.save(tenant, request.type, version, schema);
  }

  /** Deprecates, disables or re-activates one of the tenant's versions. */
  async setStatus(
    tenant: string,
    type: string,
    version: number,
    status: SchemaStatus,
  ): Promise<Registered> {
    const entry = this.registry.get('signal', type, version);
    if (!entry || entry.owner !== tenant) {
      throw new SchemaRegistrationError(
        'not-found',
        `this tenant has no schema "${type}" version ${version}`,
      );
    }
    const definition: TenantSchemaDefinition = {
      ...definitionOf(entry),
      status,
      updatedAt: this.now().toISOString(),
    };
    await this.store.update(definition);
    return { definition, entry: this.registry.putTenantSchema(definition), created: false };
  }

  /** The tenant's versions of `type`, ascending; another tenant's type reads as taken. */
  private ownedVersions(tenant: string, type: string): RegisteredSchema[] {
    const entries = this.registry
      .versions('signal', type)
      .map((version) => this.registry.get('signal', type, version) as RegisteredSchema);
    if (entries.some((entry) => entry.owner !== tenant)) {
      throw namespaceTaken(type);
    }
    return entries;
  }

  private checkRequest(body: unknown): SchemaRegistrationV1 {
    const contract = this.registry.get('document', 'schema-registration', 1);
    if (!contract) {
      throw new Error(
        'the schema-registration contract (urn:vigil:document:schema-registration:1) is not registered',
      );
    }
    if (!contract.validate(body)) {
      const issues = toValidationIssues(contract.validate.errors ?? []);
      throw new SchemaRegistrationError(
        'invalid-registration',
        `the registration is invalid: ${issues[0]?.message}`,
        issues,
      );
    }
    const request = body as SchemaRegistrationV1;
    const problem = tenantTypeProblem(request.type);
    if (problem) {
      const issue = validationIssue('/type', 'tenant-type', problem);
      throw new SchemaRegistrationError('invalid-registration', issue.message, [issue]);
    }
    return request;
  }

  private sameVersion(
    existing: RegisteredSchema,
    schema: Record<string, unknown>,
    type: string,
    version: number,
  ): Registered {
    if (JSON.stringify(definitionOf(existing).schema) !== JSON.stringify(schema)) {
      throw new SchemaRegistrationError(
        'version-exists',
        `"${type}" version ${version} is registered with another schema; register version ${version + 1} instead`,
      );
    }
    return { definition: definitionOf(existing), entry: existing, created: false };
  }

  private checkSequence(
    tenant: string,
    type: string,
    version: number,
    owned: RegisteredSchema[],
  ): void {
    const next = (owned.at(-1)?.version ?? 0) + 1;
    if (version !== next) {
      throw new SchemaRegistrationError(
        'version-gap',
        `the next version of "${type}" is ${next}, not ${version}`,
      );
    }
    const held = this.registry.visibleTo(tenant).filter((entry) => entry.owner === tenant).length;
    if (held >= this.limits.maxVersionsPerTenant) {
      throw new SchemaRegistrationError(
        'too-many-schemas',
        `this tenant holds ${held} schema versions, the most allowed (${this.limits.maxVersionsPerTenant}); disable unused ones or ask the operator`,
      );
    }
  }

  private checkCompatible(
    previous: RegisteredSchema,
    schema: Record<string, unknown>,
    type: string,
    version: number,
  ): void {
    const report = checkCompatibility(definitionOf(previous).schema, schema);
    if (!report.compatible) {
      throw new SchemaRegistrationError(
        'breaking-change',
        `version ${version} of "${type}" would refuse signals version ${previous.version} accepts (${report.breaking.length} breaking change${report.breaking.length === 1 ? '' : 's'}); register a new type instead, or keep the change compatible`,
        [],
        report.breaking,
      );
    }
  }

  private async save(
    tenant: string,
    type: string,
    version: number,
    schema: Record<string, unknown>,
  ): Promise<Registered> {
    if (!(await this.store.claimNamespace(namespaceOf(type), tenant))) {
      throw namespaceTaken(type);
    }
    const at = this.now().toISOString();
    const definition: TenantSchemaDefinition = {
      tenant,
      type,
      version,
      schema,
      status: 'active',
      registeredAt: at,
      updatedAt: at,
    };
    if (!(await this.store.create(definition))) {
      throw new SchemaRegistrationError(
        'version-exists',
        `"${type}" version ${version} was registered meanwhile; register version ${version + 1}`,
      );
    }
    return { definition, entry: this.registry.putTenantSchema(definition), created: true };
  }
}

function namespaceTaken(type: string): SchemaRegistrationError {
  return new SchemaRegistrationError(
    'namespace-taken',
    `the namespace "${namespaceOf(type)}" belongs to another tenant; choose another namespace`,
  );
}

/** The schema as registered: the body's title and description win over the schema's own. */
function withTitle(request: SchemaRegistrationV1): Record<string, unknown> {
  const schema: Record<string, unknown> = { ...request.schema };
  if (request.title !== undefined) {
    schema['title'] = request.title;
  }
  if (request.description !== undefined) {
    schema['description'] = request.description;
  }
  schema['title'] ??= request.type;
  return schema;
}

/** The stored definition behind one of a tenant's registry entries. */
function definitionOf(entry: RegisteredSchema): TenantSchemaDefinition {
  return entry.definition as TenantSchemaDefinition;
}
