#!/bin/sh
exec java -Xmx128m -cp '/opt/kafka/libs/*' -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties \
  org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
