# Scenario: restart runs the command again in the same container; logs accumulate
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c "echo run; trap 'exit 0' TERM; while :; do sleep 1; done" >/dev/null
for i in $(seq 50); do docker logs $P-a | grep -q run && break; sleep 0.1; done
s1=$(docker inspect -f '{{.State.StartedAt}}' $P-a)
docker restart -t 5 $P-a
for i in $(seq 50); do [ "$(docker logs $P-a | wc -l)" = 2 ] && break; sleep 0.1; done
docker logs $P-a
docker inspect -f '{{.State.Status}} {{.RestartCount}}' $P-a
[ "$s1" != "$(docker inspect -f '{{.State.StartedAt}}' $P-a)" ] && echo "new StartedAt"
docker run --name $P-b alpine sh -c 'echo once' >/dev/null
docker restart $P-b
docker wait $P-b
docker logs $P-b
docker rm $P-b >/dev/null
