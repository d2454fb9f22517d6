# Scenario: logs -t prefixes each line with an RFC 3339 nano timestamp
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine sh -c 'echo a; echo b' >/dev/null
docker logs -t $P-a
docker logs -t $P-a | grep -Ec '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]+Z [ab]$'
