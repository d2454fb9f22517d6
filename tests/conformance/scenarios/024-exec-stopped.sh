# Scenario: exec in a stopped container or a missing one fails with the daemon's message
# compare: stdout stderr exit
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine true
docker exec $P-a echo hi || echo "stopped: $?"
docker exec $P-nosuch echo hi || echo "missing: $?"
