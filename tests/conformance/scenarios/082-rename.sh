# Scenario: rename a container; renaming onto an existing name conflicts
# compare: stdout stderr exit
trap 'docker rm -f $P-a $P-b $P-c >/dev/null 2>&1 || true' EXIT
docker create --name $P-a alpine true >/dev/null
docker create --name $P-b alpine true >/dev/null
docker rename $P-a $P-c
docker inspect -f '{{.Name}}' $P-c
docker inspect $P-a >/dev/null 2>&1 || echo "old name gone"
docker rename $P-c $P-b 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g' >&2 || true
docker rename $P-c $P-b >/dev/null 2>&1 || echo "conflict: $?"
docker rename $P-nosuch $P-d || echo "missing: $?"
