# Scenario: logs replays stdout to stdout and stderr to stderr, after the container exited
# compare: stdout stderr exit
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c 'echo out1; echo err1 >&2; echo out2' >/dev/null
docker wait $P-a >/dev/null
docker logs $P-a
docker logs $P-a 2>/dev/null | wc -l
