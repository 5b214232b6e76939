/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/*. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */
export type * from './insights-query-v1';
export type * from './playbook-v1';
export type * from './playbook-v2';
export type * from './playbook-list-v1';
export type * from './scan-job-v1';
export type * from './scan-job-event-v1';
export type * from './schema-registration-v1';
export type * from './envelope-v1';
export type * from './signal-record-v1';
export type * from './attack-v1';
export type * from './auth-v1';
export type * from './finding-v1';
export type * from './http-request-v1';
export type * from './metric-v1';
export type * from './response-v1';
export type * from './risk-v1';
export type * from './runtime-v1';
export type * from './scan-requested-v1';
export type * from './signal-payload-map';
