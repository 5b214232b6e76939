import type { LoggedRequest } from './access-log-parser';

/**
 * A login endpoint of the application: requests to it become `auth` signals too. The outcome
 * comes from the status; the user from a query parameter the rule names, else from the log's
 * authenticated user.
 */
export interface AuthRule {
  readonly method: string;
  /** The path exactly, or a prefix when it ends with `*`. */
  readonly path: string;
  readonly success: readonly number[];
  readonly failure: readonly number[];
  /** The query parameter holding the login, e.g. `username`. */
  readonly userParameter?: string;
}

const MAX_RULES = 100;

/** Reads a rules file's JSON (`{"rules": [...]}`); throws naming the first problem. */
export function parseAuthRules(document: unknown): AuthRule[] {
  const rules = (document as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > MAX_RULES) {
    throw new Error(`the auth rules file holds {"rules": [...]} with 1 to ${MAX_RULES} rules`);
  }
  return rules.map((rule: unknown, index) => checkRule(rule, index));
}

function checkRule(value: unknown, index: number): AuthRule {
  const rule = (value ?? {}) as Record<string, unknown>;
  const at = `rules[${index}]`;
  const statuses = (name: string) => {
    const list = rule[name];
    if (!Array.isArray(list) || !list.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
      throw new Error(`${at}.${name} must list HTTP statuses`);
    }
    return list as number[];
  };
  if (typeof rule['method'] !== 'string' || !/^[A-Z]{1,16}$/.test(rule['method'])) {
    throw new Error(`${at}.method must be an upper-case HTTP method`);
  }
  if (
    typeof rule['path'] !== 'string' ||
    !rule['path'].startsWith('/') ||
    rule['path'].length > 2_048
  ) {
    throw new Error(`${at}.path must be a path starting with "/"`);
  }
  const userParameter = rule['userParameter'];
  if (
    userParameter !== undefined &&
    (typeof userParameter !== 'string' || userParameter.length > 128)
  ) {
    throw new Error(`${at}.userParameter must be a query parameter name`);
  }
  return {
    method: rule['method'],
    path: rule['path'],
    success: statuses('success'),
    failure: statuses('failure'),
    ...(userParameter === undefined ? {} : { userParameter: userParameter as string }),
  };
}

/** The `auth` payload of a request one of the rules matches, or undefined (no rule, no outcome, no user). */
export function authPayload(
  request: LoggedRequest,
  rules: readonly AuthRule[],
): Record<string, unknown> | undefined {
  const rule = rules.find((r) => r.method === request.method && pathMatches(r.path, request.path));
  if (!rule) {
    return undefined;
  }
  const outcome = rule.success.includes(request.status)
    ? 'success'
    : rule.failure.includes(request.status)
      ? 'failure'
      : undefined;
  const login =
    (rule.userParameter && queryValue(request.query, rule.userParameter)) || request.user;
  if (!outcome || !login) {
    return undefined;
  }
  return {
    outcome,
    user: { login: login.slice(0, 256) },
    actor: {
      ip: request.clientIp,
      ...(request.userAgent ? { userAgent: request.userAgent.slice(0, 1_024) } : {}),
    },
  };
}

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

function queryValue(query: string | undefined, name: string): string | undefined {
  if (!query) {
    return undefined;
  }
  try {
    return new URLSearchParams(query).get(name) ?? undefined;
  } catch {
    return undefined;
  }
}
