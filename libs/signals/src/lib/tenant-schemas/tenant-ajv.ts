import type Ajv from 'ajv';
import type { RegExpEngine } from 'ajv/dist/types';
import { RE2JS } from 're2js';
import { createAjv } from '../ajv-factory';

/**
 * Runs a schema's `pattern` on RE2 (linear time in the input) instead of JavaScript's
 * backtracking engine: a tenant's pattern can then never hold an event loop, even one the
 * screen's heuristic let through.
 */
const re2Engine: RegExpEngine = Object.assign(
  (pattern: string) => {
    const compiled = RE2JS.compile(pattern);
    return { test: (text: string) => compiled.matcher(text).find() };
  },
  { code: 'require("re2js").RE2JS.compile' },
);

/** The ajv instance tenant schemas compile in: the platform's options, RE2 for patterns. */
export function createTenantAjv(): Ajv {
  return createAjv({ code: { regExp: re2Engine } });
}
