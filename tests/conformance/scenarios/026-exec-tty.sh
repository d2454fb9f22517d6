# Scenario: exec -t gives a tty; exec -it with stdin
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
rc=0
script -qec "docker exec -t $P-a sh -c 'test -t 1 && echo tty; exit 4'" /dev/null >out || rc=$?
echo "exit $rc"
tr -d '\r' <out
docker exec $P-a sh -c 'test -t 1 && echo tty || echo no-tty'
