#!/usr/bin/env bash
# Makes sure what the tests need is here: the nats-server binary (each test file starts its own
# server from it) and a PostgreSQL server on 127.0.0.1:5432 (each test file creates its own
# database). Starts PostgreSQL and the shared NATS if they are installed but stopped; fails
# with a message saying what is missing otherwise.
set -euo pipefail

fail() { echo "ensure-services: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  for _ in $(seq 1 30); do
    port_open "$1" && return 0
    sleep 1
  done
  return 1
}

# nats-server: the binary is what the tests use.
if ! command -v nats-server >/dev/null 2>&1; then
  fail "nats-server is not on PATH. Install it (Debian: apt-get install nats-server) and re-run."
fi
echo "nats-server: $(nats-server --version)"

# The machine's shared NATS (used by `npm start` against NATS_URL; tests start their own).
if ! port_open 4222 && command -v start-stop-daemon >/dev/null 2>&1; then
  echo "NATS is not listening on 127.0.0.1:4222; starting it"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
  wait_for_port 4222 || echo "warning: could not start the shared NATS on 4222 (tests do not need it)"
fi

# PostgreSQL: tests create their databases on it.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "PostgreSQL is not ready on 127.0.0.1:5432; starting it"
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  wait_for_port 5432 || fail "PostgreSQL is not running on 127.0.0.1:5432 and could not be started. Start it, or point VIGIL_TEST_PG_URL at a server where the user may create databases."
fi
pg_isready -h 127.0.0.1 -p 5432 || fail "PostgreSQL on 127.0.0.1:5432 does not accept connections."
