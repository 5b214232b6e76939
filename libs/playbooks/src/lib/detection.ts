/** What a detection asks for: a block of an IP or a user until a time, or only a record. */
export type DetectionResponse =
  | { readonly action: 'block-ip'; readonly ip: string; readonly until: string }
  | { readonly action: 'block-user'; readonly user: string; readonly until: string }
  | { readonly action: 'notify' };

/** A playbook's threshold crossed by one group, with the evidence. */
export interface Detection {
  /** Deterministic: the same crossing (playbook version, group, triggering signal) has the same id. */
  readonly id: string;
  /**
   * True when this revises a detection reported before under the same id: signals older than
   * those that made it arrived later and moved the crossing earlier (counts and times updated).
   */
  readonly revised: boolean;
  readonly tenant: string;
  readonly playbookId: string;
  readonly playbookVersion: number;
  readonly playbookName: string;
  /** The threshold that fired: its name in the playbook (`default` for version 1 playbooks). */
  readonly thresholdName: string;
  readonly simulated: boolean;
  /** The application (envelope `subject`) when the group has one. */
  readonly app: string | undefined;
  /** The grouped fields and their values. */
  readonly group: Readonly<Record<string, string>>;
  /** Signals (or distinct values) within the window when the threshold was crossed. */
  readonly count: number;
  readonly threshold: number;
  readonly windowSeconds: number;
  /** Signals within the window at the crossing (for distinct thresholds, repeats included). */
  readonly signalsSeen: number;
  /** Event time of the oldest signal within the window at the crossing. */
  readonly firstSeen: string;
  /** Event time of the crossing signal. */
  readonly lastSeen: string;
  /** A few envelope ids of the evidence, the triggering one last. */
  readonly sampleIds: readonly string[];
  readonly triggerId: string;
  readonly detectedAt: string;
  readonly response: DetectionResponse;
}

/** The IP or user a detection's response blocks; empty for a notify-only detection. */
export function blockTarget(response: DetectionResponse): { ip?: string; user?: string } {
  if (response.action === 'block-ip') {
    return { ip: response.ip };
  }
  return response.action === 'block-user' ? { user: response.user } : {};
}
