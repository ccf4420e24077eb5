#!/bin/bash
# rounds of: JDK17 shipped, JDK25 shipped, Node, JDK25 + compact headers, JDK25 1 selector
cd /work/wt/p25; export PROBE_DIR=/work/wt/p25 JAR=/work/wt/m341.jar
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin
for r in 1 2 3; do
  KIND=sb bash probe.sh j17-$r /mcp
  PATH=$J25:$PATH KIND=sb bash probe.sh j25-$r /mcp
  KIND=node bash probe.sh node-$r /mcp
  PATH=$J25:$PATH KIND=sb bash probe.sh j25coh-$r /mcp "-XX:+UseCompactObjectHeaders"
  PATH=$J25:$PATH KIND=sb ENVX=API_SELECTORS=1 bash probe.sh j25s1-$r /mcp
done
