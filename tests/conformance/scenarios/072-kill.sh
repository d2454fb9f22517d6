# Scenario: kill sends SIGKILL by default: exit 137, output before the kill is kept
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c 'echo before; sleep 1000' >/dev/null
for i in $(seq 50); do [ -n "$(docker logs $P-a)" ] && break; sleep 0.1; done
docker kill $P-a
docker wait $P-a
docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' $P-a
docker logs $P-a
