#!/usr/bin/env bash
# Starts the packaged worker in the embedded profile and drives its web page in headless Chromium.
# Needs: target/quarkus-app (./mvnw -B package), Debian's chromium, node and npm.
set -euo pipefail
cd "$(dirname "$0")"
root=../../..
port=${PAGE_TEST_HTTP_PORT:-18090}
kafka_port=${PAGE_TEST_KAFKA_PORT:-19095}
npm ci --silent --no-audit --no-fund
log="$root/target/page-test-worker.log"
"$JAVA_HOME/bin/java" -Xmx256m -Dquarkus.profile=embedded -Dquarkus.http.port="$port" \
  -Dprecis.embedded-kafka.port="$kafka_port" -jar "$root/target/quarkus-app/quarkus-run.jar" > "$log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if curl -sf "http://localhost:$port/q/health/ready" > /dev/null; then break; fi
  sleep 1
done
node page.test.mjs "http://localhost:$port/" "$root/target/page.png"
