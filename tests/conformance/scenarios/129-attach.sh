# Scenario: attach to a running container sees its later output and exit code
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c 'while [ ! -f /tmp/go ]; do sleep 0.1; done; echo after attach; exit 3' >/dev/null
( for i in $(seq 100); do sleep 0.2; docker exec $P-a touch /tmp/go 2>/dev/null && break; done ) &
timeout 30 docker attach --no-stdin $P-a || echo "exit $?"
wait
