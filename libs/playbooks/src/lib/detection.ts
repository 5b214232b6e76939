/** What a detection asks for: a block of an IP or a user until a time, or only a record. */
export type DetectionResponse =
  | { readonly action: 'block-ip'; readonly ip: string; readonly until: string }
  | { readonly action: 'block-user'; readonly user: string; readonly until: string }
  | { readonly action: 'notify' };

/** A playbook's threshold crossed by one group, with the evidence. */
export interface Detection {
  /** Deterministic: the same crossing (playbook version, group, triggering signal) has the same id. */
  readonly id: string;
  readonly tenant: string;
  readonly playbookId: string;
  readonly playbookVersion: number;
  readonly playbookName: string;
  readonly simulated: boolean;
  /** The application (envelope `subject`) when the group has one. */
  readonly app: string | undefined;
  /** The grouped fields and their values. */
  readonly group: Readonly<Record<string, string>>;
  /** Signals (or distinct values) within the window when the threshold was crossed. */
  readonly count: number;
  readonly threshold: number;
  readonly windowSeconds: number;
  /** Signals of the group counted in this episode, including those beyond the kept window. */
  readonly signalsSeen: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** A few envelope ids of the evidence, the triggering one last. */
  readonly sampleIds: readonly string[];
  readonly triggerId: string;
  readonly detectedAt: string;
  readonly response: DetectionResponse;
}
