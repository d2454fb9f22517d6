# Scenario: kill of a stopped container, a missing one, and with a bad signal
# compare: stdout stderr exit
trap 'docker rm -f $P-a $P-b >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine true
docker kill $P-a 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/' || true
docker kill $P-a >/dev/null 2>&1 || echo "stopped: $?"
docker kill $P-nosuch || echo "missing: $?"
docker run -d --name $P-b alpine sleep 1000 >/dev/null
docker kill -s NOSUCHSIG $P-b || echo "bad signal: $?"
