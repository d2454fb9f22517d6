# Scenario: exec of a missing binary fails with 126/127 and the runtime's message
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
docker exec $P-a /no/such/bin >/dev/null 2>&1 || echo "missing: $?"
docker exec $P-a sh -c nosuch 2>/dev/null || echo "missing in sh: $?"
