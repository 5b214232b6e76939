import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const OPS = join(__dirname, '..', '..', 'ops');

/**
 * Every metric the operations kit queries: the alert rules' and the dashboard's expressions
 * (histograms by their name, without `_bucket`). Prometheus' own `up` is not a service's.
 */
export function opsKitMetricNames(): string[] {
  const rules = readFileSync(join(OPS, 'prometheus', 'vigil-alerts.yml'), 'utf8');
  const dashboard = JSON.parse(
    readFileSync(join(OPS, 'grafana', 'vigil-platform.json'), 'utf8'),
  ) as { panels: { targets: { expr: string }[] }[] };
  const expressions = [
    rules,
    ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
  ].join('\n');
  const names = expressions.match(/\b(?:vigil|process|nodejs)_[a-z0-9_]+/g) ?? [];
  return [...new Set(names.map((name) => name.replace(/_bucket$/, '')))].sort();
}

/** The metric names a `/metrics` exposition declares (`# TYPE <name> <type>`). */
export function exportedMetricNames(exposition: string): Set<string> {
  return new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] as string));
}
