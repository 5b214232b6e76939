#!/usr/bin/env bash
# Builds the one-node OpenSearch launcher the tests start (libs/testing startOpenSearch): the
# launcher's jar and its run-time classpath, in tools/opensearch/target. Maven resolves the
# server and its modules from Maven Central once (cached in ~/.m2); later builds run offline.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
  echo "opensearch:build: java and mvn are needed (Java 17); the OpenSearch tests will say they are skipped" >&2
  exit 0
fi
mvn -q -B -o package 2>/dev/null || mvn -q -B package
echo "opensearch:build: tools/opensearch/target/vigil-opensearch-test-node.jar and classpath.txt are ready" >&2
