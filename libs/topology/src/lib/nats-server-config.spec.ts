import { natsAccountsConfig } from './nats-server-config';
import { PRODUCT_NAMES, productDeclarations } from './products';

const users = Object.fromEntries(
  PRODUCT_NAMES.map((name) => [name, { user: name, password: `$VIGIL_NATS_PASSWORD_${name}` }]),
);
const operator = { user: 'operator', password: 'op' };

describe('natsAccountsConfig', () => {
  it('writes one user per product with its own permissions, and the operator with all', () => {
    const config = natsAccountsConfig(productDeclarations(), { users, operator });
    expect(config).toContain('jetstream: enabled');
    for (const name of PRODUCT_NAMES) {
      expect(config).toContain(`{ user: "${name}"`);
    }
    const ingestion = config.slice(
      config.indexOf('user: "ingestion"'),
      config.indexOf('user: "archive"'),
    );
    expect(ingestion).toContain('allow_responses: true');
    expect(ingestion).toContain('"signals.>"');
    const archive = config.slice(
      config.indexOf('user: "archive"'),
      config.indexOf('user: "playbooks"'),
    );
    expect(archive).not.toContain('allow_responses');
    expect(archive).not.toContain('"signals.>"');
    expect(config).toMatch(/\{ user: "operator", password: "op" \}/);
  });

  it('refuses a product without a user and a user of no product', () => {
    const { archive: _archive, ...withoutArchive } = users;
    expect(() =>
      natsAccountsConfig(productDeclarations(), { users: withoutArchive, operator }),
    ).toThrow('no NATS user for product archive');
    expect(() =>
      natsAccountsConfig(productDeclarations(), { users: { ...users, risks: operator }, operator }),
    ).toThrow('NATS users for unknown products: risks');
  });
});
