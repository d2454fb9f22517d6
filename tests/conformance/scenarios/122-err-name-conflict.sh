# Scenario: creating a second container with a used name conflicts (409 message)
# compare: stdout stderr exit
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker create --name $P-a alpine true >/dev/null
docker create --name $P-a alpine true 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g' >&2 || true
docker create --name $P-a alpine true >/dev/null 2>&1 || echo "create: $?"
docker run --name $P-a alpine true >/dev/null 2>&1 || echo "run: $?"
docker create --name '/bad name!' alpine true || echo "invalid name: $?"
