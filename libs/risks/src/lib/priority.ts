import type { RiskSeverity } from './risk-rules';

/** What an application has been through lately, from its attack and auth signals. */
export interface Exposure {
  /** Attack signals on the application in the last 24 h, by category (`sqli`, `rce`…). */
  readonly attacksByCategory: Readonly<Record<string, number>>;
  /** Failed logins on the application in the last 24 h. */
  readonly failedLogins: number;
}

/** A risk's priority (0–100) and why it is what it is. */
export interface Priority {
  readonly priority: number;
  readonly reasons: readonly string[];
}

const BASE: Readonly<Record<RiskSeverity, number>> = {
  low: 20,
  medium: 40,
  high: 60,
  critical: 80,
};
/** Attacks that turn code execution or file reads into the host when the process is root. */
const EXECUTION = [
  'rce',
  'command_injection',
  'deserialization',
  'path_traversal',
  'lfi',
  'template_injection',
];

/**
 * The priority of a risk: its severity, raised when the application is under a related attack
 * — a vulnerable package or an end-of-life runtime on an application being attacked at all, a
 * root process on one receiving code-execution or file-read attacks, a skewed clock on one
 * under a login attack (token and lockout windows) — with each reason stated.
 */
export function priorityOf(
  risk: { readonly rule: string; readonly severity: RiskSeverity },
  exposure: Exposure,
): Priority {
  const attacks = Object.values(exposure.attacksByCategory).reduce((a, b) => a + b, 0);
  const execution = EXECUTION.reduce((sum, c) => sum + (exposure.attacksByCategory[c] ?? 0), 0);
  const reasons: string[] = [];
  let priority = BASE[risk.severity];
  const raise = (by: number, reason: string) => {
    priority += by;
    reasons.push(reason);
  };
  if (risk.rule === 'vulnerable-package' && attacks > 0) {
    raise(15, `${attacks} attack signal(s) on the application in the last 24 h`);
    if (execution > 0) {
      raise(5, `${execution} of them try code execution or file reads`);
    }
  }
  if (risk.rule === 'runtime-eol' && attacks > 0) {
    raise(10, `${attacks} attack signal(s) on the application in the last 24 h`);
  }
  if (risk.rule === 'process-root' && execution > 0) {
    raise(
      20,
      `${execution} code-execution or file-read attack(s) in the last 24 h, against a root process`,
    );
  }
  if (risk.rule === 'clock-skew' && exposure.failedLogins >= 10) {
    raise(10, `${exposure.failedLogins} failed logins in the last 24 h while the clock is off`);
  }
  return { priority: Math.min(100, priority), reasons };
}
