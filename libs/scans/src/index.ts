/**
 * @vigil/scans — the scans product's domain, free of framework and bus code: scan request
 * checks, job planning, feedback rules, finding fingerprints, the status workflow and SLAs, and
 * the contract between the scans service and scanner workers.
 */
export {
  BUILT_IN_SCAN_KINDS,
  isScanKind,
  jobEventSubject,
  jobSubject,
  SCAN_EVENTS_STREAM,
  SCAN_JOBS_STREAM,
  workerConsumerName,
} from './lib/scan-contract';
export {
  isSeverity,
  SEVERITIES,
  severitiesFrom,
  severityAtLeast,
  type Severity,
} from './lib/severity';
export {
  JobFailure,
  type FindingDraft,
  type Observation,
  type ToolResult,
} from './lib/tool-result';
export { fingerprintOf } from './lib/fingerprint';
export { networkTargets, ScanRequestChecker, type ScanRequest } from './lib/scan-request-checker';
export { jobKey, planJobs, type JobInput, type JobSpec } from './lib/job-plan';
export {
  BUILT_IN_FEEDBACK_RULES,
  followUpJobs,
  OPEN_HTTP_PORT_RULE,
  type CompletedJob,
  type FeedbackRule,
  type FollowUpJob,
} from './lib/feedback-rules';
export {
  DEFAULT_SLA,
  slaDueDate,
  statusChangeProblem,
  type FindingStatus,
  type SlaPolicy,
  type StatusChange,
} from './lib/finding-workflow';
export { SecretBox } from './lib/secret-box';
export {
  type TicketFinding,
  type TicketResult,
  type TicketTarget,
} from './lib/tickets/ticket-target';
export {
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
  WebhookTarget,
} from './lib/tickets/webhook-target';
export { JiraTarget, type JiraOptions } from './lib/tickets/jira-target';
export {
  isPrivateAddress,
  ticketUrlProblem,
  type TicketNetworks,
} from './lib/tickets/ticket-network';
