# Scenario: a healthcheck runs and shows in inspect and ps
# timeout: 60
trap 'docker rm -f $P-a $P-b >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a --health-cmd 'test -f /tmp/ok' --health-interval 1s --health-retries 1 alpine sh -c 'touch /tmp/ok; sleep 1000' >/dev/null
docker run -d --name $P-b --health-cmd 'exit 1' --health-interval 1s --health-retries 1 alpine sleep 1000 >/dev/null
for i in $(seq 150); do
  [ "$(docker inspect -f '{{.State.Health.Status}}' $P-a)" = healthy ] && [ "$(docker inspect -f '{{.State.Health.Status}}' $P-b)" = unhealthy ] && break
  sleep 0.1
done
docker inspect -f '{{.State.Health.Status}} {{json .Config.Healthcheck.Test}}' $P-a $P-b
docker ps --filter name=$P- --filter health=healthy --format '{{.Names}}'
docker ps --filter name=$P-a --format '{{.Status}}'
docker inspect -f '{{(index .State.Health.Log 0).ExitCode}}' $P-b
