#!/usr/bin/env bash
# `npm run infra:check`: the synth tests (every stack synthesizes, key attributes, policies, bad
# configurations refused, no drift against the committed snapshot in terraform/snapshots/), then
# `terraform validate` on every synthesized stack where terraform and its providers are available.
set -euo pipefail
cd "$(dirname "$0")/.."
node --experimental-vm-modules --disable-warning=ExperimentalWarning node_modules/jest/bin/jest.js \
  -c terraform/jest.config.js
npm run -s infra:synth
if ! command -v terraform >/dev/null; then
  echo "infra:check: terraform validate SKIPPED: no terraform binary on PATH"
  exit 0
fi
for stack in terraform/cdktf.out/stacks/*/; do
  # Providers come from the registry; without network (or a provider mirror) init cannot get them.
  if ! (cd "$stack" && terraform init -no-color -backend=false -input=false >/dev/null 2>init.log); then
    reason=$(grep -m1 -o 'could not connect to [a-z.]*\|Error: .*' "$stack/init.log" || echo 'terraform init failed')
    echo "infra:check: terraform validate SKIPPED for $(basename "$stack"): its providers cannot be installed here ($reason)"
    continue
  fi
  (cd "$stack" && terraform validate -no-color)
done
