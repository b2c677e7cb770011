#!/usr/bin/env sh
# Starts a real single-node Kafka broker (Apache Kafka's KRaft broker, jars from Maven Central via
# the Maven wrapper) with nothing but a JDK >= 21. Usage: deploy/kafka-local.sh [port]
# Then run the worker against it: KAFKA_BOOTSTRAP_SERVERS=localhost:9092 ./precis worker
set -eu
cd "$(dirname "$0")/.."
if [ ! -d target/quarkus-app/lib/main ] || ! ls target/quarkus-app/lib/main | grep -q kafka_2.13; then
  ./mvnw -B -q package -DskipTests
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! "$JAVA" -XshowSettings:properties -version 2>&1 | grep -Eq 'java.specification.version = (2[1-9]|[3-9][0-9])'; then
  echo "deploy/kafka-local.sh needs a JDK >= 21: set JAVA_HOME" >&2
  exit 1
fi
exec "$JAVA" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*:target/quarkus-app/app/*" dev.precis.devbroker.KafkaLocal "${1:-9092}"
