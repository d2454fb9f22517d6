# Scenario: the default ps table: header, truncated command, status column
trap 'docker rm -f $P-run >/dev/null 2>&1 || true' EXIT
docker ps --filter name=$P-none
docker run -d --name $P-run alpine sh -c 'sleep 1000; echo this is a long command line' >/dev/null
docker ps --filter name=$P-run
docker ps --no-trunc --filter name=$P-run --format '{{.Command}}'
