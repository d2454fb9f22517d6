# Scenario: wait on a missing container, and on one missing among existing ones
# compare: stdout stderr exit
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker wait $P-nosuch || echo "exit $?"
docker run --name $P-a alpine sh -c 'exit 4' || true
docker wait $P-a $P-nosuch || echo "exit $?"
