import { natsPermissions } from './nats-permissions';
import type { ProductDeclaration } from './products';

/** A NATS user: its name and its password, or better a bcrypt hash of it (`nats server passwd`). */
export interface NatsUserSecret {
  readonly user: string;
  readonly password: string;
}

/** What the generated account holds besides the products. */
export interface NatsAccountOptions {
  /** The account's name; default `VIGIL`. */
  readonly account?: string;
  /** One user per product, by product name. */
  readonly users: Readonly<Record<string, NatsUserSecret>>;
  /** The operator's user (provisioning, the CLI, Terraform): every subject of the account. */
  readonly operator: NatsUserSecret;
}

/**
 * The `accounts` block of a nats-server configuration: one JetStream-enabled account, a user per
 * product with exactly the permissions its declaration gives it, and an operator user. Every
 * product must have a user; a user for an unknown product is refused.
 */
export function natsAccountsConfig(
  products: readonly ProductDeclaration[],
  options: NatsAccountOptions,
): string {
  const known = new Set(products.map((product) => product.name));
  const unknown = Object.keys(options.users).filter((name) => !known.has(name as never));
  if (unknown.length > 0) {
    throw new Error(`NATS users for unknown products: ${unknown.join(', ')}`);
  }
  const users = products.map((product) => {
    const secret = options.users[product.name];
    if (!secret) {
      throw new Error(`no NATS user for product ${product.name}`);
    }
    const permissions = natsPermissions(product);
    return [
      `      { user: ${quote(secret.user)}, password: ${quote(secret.password)}, permissions: {`,
      `          publish: { allow: ${list(permissions.publish)} }`,
      `          subscribe: { allow: ${list(permissions.subscribe)} }`,
      ...(permissions.allowResponses ? ['          allow_responses: true'] : []),
      '      } }',
    ].join('\n');
  });
  const operator = `      { user: ${quote(options.operator.user)}, password: ${quote(options.operator.password)} }`;
  return [
    '# Generated from the product declarations of @vigil/topology: do not edit by hand.',
    'accounts {',
    `  ${options.account ?? 'VIGIL'} {`,
    '    jetstream: enabled',
    '    users: [',
    [...users, operator].join(',\n'),
    '    ]',
    '  }',
    '}',
    '',
  ].join('\n');
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function list(values: readonly string[]): string {
  return `[${values.map(quote).join(', ')}]`;
}
