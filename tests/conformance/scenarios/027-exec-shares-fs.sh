# Scenario: exec and the main process share the filesystem and see each other's files
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c 'echo from-main > /tmp/main; while [ ! -f /tmp/exec ]; do sleep 0.1; done; cat /tmp/exec; sleep 1000' >/dev/null
for i in $(seq 50); do docker exec $P-a test -f /tmp/main && break; sleep 0.1; done
docker exec $P-a cat /tmp/main
docker exec $P-a sh -c 'echo from-exec > /tmp/exec'
for i in $(seq 50); do [ -n "$(docker logs $P-a)" ] && break; sleep 0.1; done
docker logs $P-a
