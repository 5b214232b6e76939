/** Nest token of the product's bus connection (`NatsConnection`). */
export const BUS = Symbol('vigil:bus');

/** Nest token of the product's own database (`SqlPool`), migrated before the app starts. */
export const DATABASE = Symbol('vigil:database');

/** Nest token of the product's validated configuration (its own config type). */
export const PRODUCT_CONFIG = Symbol('vigil:product-config');

/** Nest token of the platform's `KeyDirectory` (issue and revoke job keys; ingestion owns the keys). */
export const KEY_DIRECTORY = Symbol('vigil:key-directory');
