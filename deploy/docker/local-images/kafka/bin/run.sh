#!/bin/sh
# apache/kafka's start, in short: every KAFKA_<NAME> variable becomes a server property (`_` is `.`,
# `__` is `_`, `___` is `-`), the storage is formatted once with CLUSTER_ID, then the broker runs.
set -euf # -f: the class path below is a literal wildcard for java, not a glob
props=/opt/kafka/config/server.properties
env | grep -E '^KAFKA_[A-Z0-9_]+=' | grep -vE '^KAFKA_(HEAP_OPTS|OPTS|JVM_PERFORMANCE_OPTS|LOG4J_OPTS|GC_LOG_OPTS|JMX_OPTS)=' |
  while IFS='=' read -r key value; do
    name="$(echo "${key#KAFKA_}" | tr 'A-Z' 'a-z' | sed 's/___/-/g; s/__/\x01/g; s/_/./g; s/\x01/_/g')"
    echo "$name=$value"
  done >"$props"
grep -q '^log\.dirs=' "$props" || echo "log.dirs=/var/lib/kafka/data" >>"$props"
java="java -cp /opt/kafka/libs/* -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties"
$java -Xmx256m kafka.tools.StorageTool format --ignore-formatted -t "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" -c "$props"
# shellcheck disable=SC2086 # the options are word lists
exec $java ${KAFKA_HEAP_OPTS:--Xmx1g -Xms1g} -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError kafka.Kafka "$props"
