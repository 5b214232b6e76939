#!/usr/bin/env bash
# Starts every Vigil service as its own process against one nats-server and one PostgreSQL
# server: the distributed mode on one machine, configured only by environment variables (see
# docs/deploy.md). Ctrl-C (or SIGTERM) stops them all, products first, ingestion last.
#
#   NATS_URL=nats://127.0.0.1:4222 VIGIL_PG_URL=postgres://postgres@127.0.0.1:5432 \
#     bash tools/deploy/run-distributed.sh
#
# Bus credentials: NATS_USER/NATS_PASSWORD (or any NATS_* credential) apply to every app;
# VIGIL_NATS_USER_<APP> with VIGIL_NATS_PASSWORD_<APP> (APP upper-cased, dashes as _, e.g.
# SCAN_WORKERS) give one app its own user, as the generated least-privilege accounts expect.
#
# VIGIL_RUN picks how an app is run: from source (default) or the built output
# (VIGIL_RUN=dist, after `npm run build`). Ports: VIGIL_PORT_BASE (default 8080) for ingestion,
# then +1 archive, +2 playbooks, +3 insights, +4 scans, +5 scan-workers.
set -euo pipefail
cd "$(dirname "$0")/../.."

: "${NATS_URL:?set NATS_URL to a nats-server with JetStream}"
: "${VIGIL_PG_URL:?set VIGIL_PG_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432}"
DB_PREFIX="${VIGIL_DB_PREFIX:-vigil_}"
PORT_BASE="${VIGIL_PORT_BASE:-8080}"
export VIGIL_DATA_DIR="${VIGIL_DATA_DIR:-./.vigil-distributed}"
export NATS_URL
mkdir -p "$VIGIL_DATA_DIR"

database() {
  local name="${DB_PREFIX}$1"
  if ! psql "$VIGIL_PG_URL/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql "$VIGIL_PG_URL/postgres" -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
  echo "$VIGIL_PG_URL/$name"
}
export VIGIL_PLATFORM_DATABASE_URL="${VIGIL_PLATFORM_DATABASE_URL:-$(database platform)}"
export VIGIL_PLAYBOOKS_DATABASE_URL="${VIGIL_PLAYBOOKS_DATABASE_URL:-$(database playbooks)}"
export VIGIL_INSIGHTS_DATABASE_URL="${VIGIL_INSIGHTS_DATABASE_URL:-$(database insights)}"
export VIGIL_SCANS_DATABASE_URL="${VIGIL_SCANS_DATABASE_URL:-$(database scans)}"

pids=()
start() {
  local app="$1" port="$2"
  shift 2
  local key user_var password_var
  key=$(echo "$app" | tr 'a-z-' 'A-Z_')
  user_var="VIGIL_NATS_USER_$key"
  password_var="VIGIL_NATS_PASSWORD_$key"
  if [ -n "${!user_var:-}" ]; then
    set -- "$@" NATS_USER="${!user_var}" NATS_PASSWORD="${!password_var:?set $password_var with $user_var}"
  fi
  if [ "${VIGIL_RUN:-source}" = dist ]; then
    env VIGIL_PORT="$port" "$@" node "dist/apps/$app/src/main.js" &
  else
    env VIGIL_PORT="$port" "$@" node tools/scripts/run-ts.js "apps/$app/src/main.ts" &
  fi
  pids+=("$!")
}
stop() {
  trap - INT TERM
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  exit 0
}
trap stop INT TERM

start ingestion "$PORT_BASE"
start archive $((PORT_BASE + 1))
start playbooks $((PORT_BASE + 2)) VIGIL_ARCHIVE_URL="http://127.0.0.1:$((PORT_BASE + 1))"
start insights $((PORT_BASE + 3))
start scans $((PORT_BASE + 4))
start scan-workers $((PORT_BASE + 5)) VIGIL_URL="http://127.0.0.1:$PORT_BASE"
wait
