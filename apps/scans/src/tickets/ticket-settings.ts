import { isSeverity, type SecretBox, type Severity } from '@vigil/scans';
import type { TicketKind, TicketSettings } from '../store/ticket.repository';

/** A tenant's ticket integration as it writes it (credentials in clear, once). */
export type TicketSettingsInput =
  | { kind: 'webhook'; url: string; secret: string; minSeverity?: Severity }
  | {
      kind: 'jira';
      url: string;
      user: string;
      token: string;
      project: string;
      issueType?: string;
      doneTransition?: string;
      minSeverity?: Severity;
    };

/** The integration as the API shows it: never the credential. */
export interface TicketSettingsView {
  readonly kind: TicketKind;
  readonly url: string;
  readonly minSeverity: Severity;
  readonly options: Readonly<Record<string, string>>;
  readonly credentialSet: true;
  readonly updatedAt: string;
}

const FIELDS: Readonly<Record<TicketKind, readonly string[]>> = {
  webhook: ['kind', 'url', 'secret', 'minSeverity'],
  jira: ['kind', 'url', 'user', 'token', 'project', 'issueType', 'doneTransition', 'minSeverity'],
};

/** Why `body` is not a valid integration, or `undefined`. */
export function ticketSettingsProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'the body must be a JSON object';
  }
  const input = body as Record<string, unknown>;
  if (input['kind'] !== 'webhook' && input['kind'] !== 'jira') {
    return '"kind" must be "webhook" or "jira"';
  }
  const unknown = Object.keys(input).find(
    (key) => !FIELDS[input['kind'] as TicketKind].includes(key),
  );
  if (unknown) {
    return `"${unknown}" is not a setting of a ${String(input['kind'])} integration`;
  }
  if (!isHttpUrl(input['url'])) {
    return '"url" must be an http(s) URL of at most 2048 characters';
  }
  if (input['minSeverity'] !== undefined && !isSeverity(input['minSeverity'])) {
    return '"minSeverity" must be one of info, low, medium, high, critical';
  }
  return input['kind'] === 'webhook' ? webhookProblem(input) : jiraProblem(input);
}

function webhookProblem(input: Record<string, unknown>): string | undefined {
  return isText(input['secret'], 16, 256)
    ? undefined
    : '"secret" must be 16-256 characters (it signs every delivery)';
}

function jiraProblem(input: Record<string, unknown>): string | undefined {
  if (!isText(input['user'], 1, 256) || !isText(input['token'], 1, 1024)) {
    return '"user" and "token" are required for Jira';
  }
  if (typeof input['project'] !== 'string' || !/^[A-Z][A-Z0-9_]{0,63}$/.test(input['project'])) {
    return '"project" must be a Jira project key such as "SEC"';
  }
  for (const name of ['issueType', 'doneTransition']) {
    if (input[name] !== undefined && !isText(input[name], 1, 128)) {
      return `"${name}" must be 1-128 characters`;
    }
  }
  return undefined;
}

/** Seals the credential of valid input for storage. */
export function toStoredSettings(
  tenant: string,
  input: TicketSettingsInput,
  box: SecretBox,
): Omit<TicketSettings, 'updatedAt'> {
  const minSeverity = input.minSeverity ?? 'high';
  if (input.kind === 'webhook') {
    return {
      tenant,
      kind: 'webhook',
      url: input.url,
      minSeverity,
      options: {},
      sealedSecret: box.seal(input.secret),
    };
  }
  const options: Record<string, string> = { user: input.user, project: input.project };
  if (input.issueType) {
    options['issueType'] = input.issueType;
  }
  if (input.doneTransition) {
    options['doneTransition'] = input.doneTransition;
  }
  return {
    tenant,
    kind: 'jira',
    url: input.url,
    minSeverity,
    options,
    sealedSecret: box.seal(input.token),
  };
}

/** The stored integration without its credential. */
export function toSettingsView(settings: TicketSettings): TicketSettingsView {
  return {
    kind: settings.kind,
    url: settings.url,
    minSeverity: settings.minSeverity,
    options: settings.options,
    credentialSet: true,
    updatedAt: settings.updatedAt,
  };
}

function isText(value: unknown, min: number, max: number): boolean {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) {
    return false;
  }
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
