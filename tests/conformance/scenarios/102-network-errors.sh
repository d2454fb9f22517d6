# Scenario: network errors: duplicate name, rm in use, rm missing, connect missing container
# compare: stdout stderr exit
trap 'docker rm -f $P-a >/dev/null 2>&1 || true; docker network rm $P-n >/dev/null 2>&1 || true' EXIT
docker network create $P-n >/dev/null
docker network create $P-n || echo "duplicate: $?"
docker run -d --name $P-a --network $P-n alpine sleep 1000 >/dev/null
docker network rm $P-n 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g; s/[0-9a-f]\{12\}/<id>/g' >&2 || true
docker network rm $P-n >/dev/null 2>&1 || echo "in use: $?"
docker network rm $P-nosuch || echo "missing: $?"
docker network connect $P-n $P-nosuch || echo "missing container: $?"
