# Scenario: stop of a process that ignores SIGTERM kills it after -t seconds (137); stop of a stopped container
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c "trap '' TERM; echo ready; while :; do sleep 1; done" >/dev/null
for i in $(seq 50); do docker logs $P-a | grep -q ready && break; sleep 0.1; done
start=$(date +%s)
docker stop -t 1 $P-a
d=$(( $(date +%s) - start ))
[ $d -ge 1 ] && [ $d -lt 8 ] && echo "killed after the timeout"
docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' $P-a
docker stop $P-a
docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' $P-a
