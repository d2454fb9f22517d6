# Scenario: logs of a tty container: one stream, CRLF line endings
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d -t --name $P-a alpine sh -c 'echo out; echo err >&2' >/dev/null
docker wait $P-a >/dev/null
docker logs $P-a 2>/dev/null | od -c | sed 's/  */ /g'
