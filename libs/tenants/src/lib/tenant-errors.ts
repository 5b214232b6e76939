/** The tenant name is taken. */
export class TenantExistsError extends Error {
  constructor(readonly tenant: string) {
    super(`tenant "${tenant}" already exists`);
    this.name = 'TenantExistsError';
  }
}

/** A request to the tenant store that breaks a rule (bad name, unknown scope…); the message says which. */
export class TenantRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantRuleError';
  }
}
