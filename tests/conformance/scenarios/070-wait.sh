# Scenario: wait blocks until exit and prints the code; already-exited and several containers
trap 'docker rm -f $P-a $P-b $P-c >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c 'sleep 1; exit 7' >/dev/null
docker wait $P-a
docker wait $P-a
docker run --name $P-b alpine true
docker run -d --name $P-c alpine sh -c 'exit 2' >/dev/null
docker wait $P-b $P-c
