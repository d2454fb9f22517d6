# Scenario: pause/unpause: status, ps, and exec refused while paused
# compare: stdout stderr exit
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
docker pause $P-a
docker inspect -f '{{.State.Status}} {{.State.Paused}} {{.State.Running}}' $P-a
docker exec $P-a true 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g' >&2 || true
docker pause $P-a 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g' >&2 || true
docker unpause $P-a
docker inspect -f '{{.State.Status}} {{.State.Paused}}' $P-a
docker exec $P-a echo works again
docker unpause $P-a 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g' >&2 || true
