# Scenario: exec runs in a running container; output and exit codes
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
docker exec $P-a echo hello from exec
docker exec $P-a sh -c 'echo out; echo err >&2'
docker exec $P-a sh -c 'exit 5' || echo "exit $?"
docker exec $P-a false || echo "false: $?"
docker exec $P-a sh -c 'echo $0 $#' a b
