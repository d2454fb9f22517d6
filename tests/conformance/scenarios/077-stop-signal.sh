# Scenario: --stop-signal changes the signal that stop sends
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a --stop-signal USR1 alpine sh -c "trap 'echo usr1; exit 3' USR1; trap 'echo term; exit 4' TERM; echo ready; while :; do sleep 1; done" >/dev/null
for i in $(seq 50); do docker logs $P-a | grep -q ready && break; sleep 0.1; done
docker stop -t 20 $P-a
docker inspect -f '{{.State.ExitCode}}' $P-a
docker logs $P-a
