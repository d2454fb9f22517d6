# Scenario: create then start: states created → running/exited, start -a attaches output and exit code
trap 'docker rm -f $P-a $P-b >/dev/null 2>&1 || true' EXIT
docker create --name $P-a alpine sh -c 'echo from start; exit 2' | grep -Eq '^[0-9a-f]{64}$' && echo "create printed id"
docker inspect -f '{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}' $P-a
docker start -a $P-a || echo "start -a: $?"
docker inspect -f '{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}' $P-a
docker create --name $P-b alpine sleep 30 >/dev/null
docker start $P-b
docker inspect -f '{{.State.Status}} {{.State.Running}}' $P-b
docker start $P-b
