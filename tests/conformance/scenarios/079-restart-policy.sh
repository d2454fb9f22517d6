# Scenario: --restart on-failure:2 restarts a failing container twice, then leaves it exited
# timeout: 60
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a --restart on-failure:2 alpine sh -c 'echo attempt; exit 1' >/dev/null
for i in $(seq 200); do
  [ "$(docker inspect -f '{{.State.Status}} {{.RestartCount}}' $P-a)" = "exited 2" ] && break
  sleep 0.1
done
docker inspect -f '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}' $P-a
docker logs $P-a
