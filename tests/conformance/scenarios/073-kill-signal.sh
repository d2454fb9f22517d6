# Scenario: kill -s delivers signals to a trapping shell (USR1, HUP, TERM by name and number)
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c '
  trap "echo got USR1" USR1
  trap "echo got HUP" HUP
  trap "echo got TERM; exit 5" TERM
  echo ready
  while :; do sleep 0.2; done' >/dev/null
for i in $(seq 50); do docker logs $P-a | grep -q ready && break; sleep 0.1; done
docker kill -s USR1 $P-a
for i in $(seq 50); do docker logs $P-a | grep -q USR1 && break; sleep 0.1; done
docker kill -s SIGHUP $P-a
for i in $(seq 50); do docker logs $P-a | grep -q HUP && break; sleep 0.1; done
docker kill -s 15 $P-a
docker wait $P-a
docker logs $P-a
