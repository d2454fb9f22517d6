# Scenario: stop sends SIGTERM; a shell that traps it exits cleanly before the timeout
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c "trap 'echo term; exit 0' TERM; echo ready; while :; do sleep 1; done" >/dev/null
for i in $(seq 50); do docker logs $P-a | grep -q ready && break; sleep 0.1; done
start=$(date +%s)
docker stop -t 20 $P-a
[ $(( $(date +%s) - start )) -lt 10 ] && echo "stopped before the timeout"
docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' $P-a
docker logs $P-a
