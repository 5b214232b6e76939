import type { ProductDeclaration } from './products';

/** A product's PostgreSQL database and the role that owns it (and nothing else). */
export interface ProductDatabase {
  readonly product: string;
  /** Its URL variable in docs/deploy.md. */
  readonly variable: string;
  readonly database: string;
  readonly role: string;
}

/**
 * The databases of the products that own one, named `<prefix><product>` with a role of the
 * same name; the platform database (ingestion's tenants and keys) is `<prefix>platform`.
 */
export function productDatabases(
  products: readonly ProductDeclaration[],
  prefix = 'vigil_',
): ProductDatabase[] {
  return products.flatMap((product) => {
    if (!product.databaseVariable) {
      return [];
    }
    const name = `${prefix}${product.name === 'ingestion' ? 'platform' : product.name}`.replace(
      /-/g,
      '_',
    );
    return [
      { product: product.name, variable: product.databaseVariable, database: name, role: name },
    ];
  });
}
