import type { InsightsQueryV1 } from '@vigil/signals';

/** A field the query model can name (`type`, `actor.ip`, `title`…). */
export type FieldName = NonNullable<InsightsQueryV1['filters']>[number]['field'];

/** How a field is stored and what a query may do with it. */
export type FieldKind = 'keyword' | 'date' | 'number' | 'ip' | 'text';

/** One field of the signal documents. */
export interface FieldSpec {
  readonly kind: FieldKind;
  /** Where its value comes from in the signal record: the first pointer that holds a value wins. */
  readonly from: readonly string[];
  /** Searched by free text (`text.fields`). */
  readonly text?: boolean;
}

const keyword = (...from: string[]): FieldSpec => ({ kind: 'keyword', from });
const searchable = (kind: FieldKind, ...from: string[]): FieldSpec => ({ kind, from, text: true });

/**
 * Every field of a signal document and where it comes from. The envelope's core attributes are
 * first (`id`, `time`, `receivedAt`, `type`, `app` = the envelope's `subject`, `source`); the
 * others are lifted from the payloads of the signal types that have them (an `http.request`'s
 * client IP, user agent, user, method and path land in `actor.ip`, `actor.userAgent`,
 * `user.login`, `request.method` and `request.path`).
 */
export const FIELD_CATALOG: Readonly<Record<FieldName, FieldSpec>> = {
  id: keyword('/event/id'),
  time: { kind: 'date', from: ['/event/time'] },
  receivedAt: { kind: 'date', from: ['/vigil/receivedAt'] },
  type: keyword('/event/type'),
  app: keyword('/event/subject'),
  source: keyword('/event/source'),
  severity: keyword('/event/data/severity'),
  category: keyword('/event/data/category'),
  action: keyword('/event/data/action'),
  outcome: keyword('/event/data/outcome'),
  reason: keyword('/event/data/reason'),
  method: keyword('/event/data/method'),
  'actor.ip': { kind: 'ip', from: ['/event/data/actor/ip', '/event/data/client/ip'] },
  'actor.country': keyword('/event/data/actor/country'),
  'actor.userAgent': searchable('text', '/event/data/actor/userAgent', '/event/data/userAgent'),
  'user.login': keyword('/event/data/user/login', '/event/data/actor/user', '/event/data/user'),
  'rule.id': keyword('/event/data/rule/id'),
  'rule.name': searchable('keyword', '/event/data/rule/name'),
  'request.method': keyword('/event/data/request/method', '/event/data/method'),
  'request.path': searchable('keyword', '/event/data/request/path', '/event/data/path'),
  'agent.id': keyword('/event/data/agent/id'),
  'process.user': keyword('/event/data/process/user'),
  'process.uid': { kind: 'number', from: ['/event/data/process/uid'] },
  'runtime.name': keyword('/event/data/runtime/name'),
  'runtime.version': keyword('/event/data/runtime/version'),
  kind: keyword('/event/data/kind'),
  fingerprint: keyword('/event/data/fingerprint'),
  'tool.name': keyword('/event/data/tool/name'),
  title: searchable('text', '/event/data/title'),
  description: searchable('text', '/event/data/description'),
  'package.name': keyword('/event/data/location/package/name'),
  'location.port': { kind: 'number', from: ['/event/data/location/port'] },
  'target.ip': { kind: 'ip', from: ['/event/data/target/ip'] },
  'target.user': keyword('/event/data/target/user'),
  'playbook.id': keyword('/event/data/playbook/id'),
};

/** Fields every document has, stored beside the others rather than among them. */
export const CORE_FIELDS = ['id', 'time', 'receivedAt', 'type', 'app', 'source'] as const;

/** The fields free text looks in when a query names none. */
export const TEXT_FIELDS = (Object.keys(FIELD_CATALOG) as FieldName[]).filter(
  (name) => FIELD_CATALOG[name].text === true,
);

/** Every field name of the catalog. */
export const FIELD_NAMES = Object.keys(FIELD_CATALOG) as FieldName[];
