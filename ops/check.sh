#!/usr/bin/env bash
# `npm run ops:check`: the alert rules are valid and fire as their unit tests say
# (`promtool`, from the distribution's `prometheus` package), and the dashboard is valid JSON.
# That the queried metrics exist is checked against the running platform by e2e/platform.
set -euo pipefail
cd "$(dirname "$0")"
node -e 'JSON.parse(require("fs").readFileSync("grafana/vigil-platform.json", "utf8"))'
if ! command -v promtool >/dev/null; then
  echo "ops:check: promtool SKIPPED: not installed (apt-get install prometheus; .ci/run installs it)"
  exit 0
fi
promtool check rules prometheus/vigil-alerts.yml
promtool test rules prometheus/vigil-alerts.test.yml
