# Scenario: attach to a running container sees its later output and exit code
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
since=$(date +%s)
docker run -d --name $P-a alpine sh -c 'while [ ! -f /tmp/go ]; do sleep 0.1; done; echo after attach; exit 3' >/dev/null
# Let the container go on only once the attach is in place (its "attach" event).
(
  for i in $(seq 100); do
    docker events --since $since --until $(date +%s) --filter container=$P-a --filter event=attach --format '{{.Action}}' | grep -q attach && break
    sleep 0.2
  done
  sleep 0.5
  docker exec $P-a touch /tmp/go
) &
timeout 30 docker attach --no-stdin $P-a || echo "exit $?"
wait
