# Scenario: exec -d returns at once; its side effects happen
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
docker exec -d $P-a sh -c 'echo done > /tmp/marker'
for i in $(seq 50); do docker exec $P-a test -f /tmp/marker && break; sleep 0.1; done
docker exec $P-a cat /tmp/marker
