# Scenario: a command that does not exist in the image: exit 127, container left created/exited
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine /no/such/binary 2>/dev/null || echo "missing: $?"
docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' $P-a
docker run --rm alpine sh -c 'nosuchcmd' 2>/dev/null || echo "in sh: $?"
docker run --rm alpine sh -c '/etc/passwd' 2>/dev/null || echo "not executable in sh: $?"
