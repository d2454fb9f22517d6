# Scenario: rm of a running container is refused; rm -f removes it; rm of several
# compare: stdout stderr exit
trap 'docker rm -f $P-a $P-b $P-c >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
docker rm $P-a 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g' >&2 || true
docker rm $P-a >/dev/null 2>&1 || echo "running: $?"
docker rm -f $P-a
docker create --name $P-b alpine true >/dev/null
docker create --name $P-c alpine true >/dev/null
docker rm $P-b $P-c
docker rm $P-b || echo "gone: $?"
