# Scenario: rm of a volume in use is refused; prune with a label filter removes only unused matches
# compare: stdout stderr exit
trap 'docker rm -f $P-a >/dev/null 2>&1 || true; docker volume rm $P-used $P-unused $P-other >/dev/null 2>&1 || true' EXIT
docker volume create --label $P-prune=1 $P-used >/dev/null
docker volume create --label $P-prune=1 $P-unused >/dev/null
docker volume create $P-other >/dev/null
docker create --name $P-a -v $P-used:/d alpine true >/dev/null
docker volume rm $P-used 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g' >&2 || true
docker volume rm $P-used >/dev/null 2>&1 || echo "in use: $?"
docker volume prune -f --filter label=$P-prune=1
docker volume ls -q --filter name=$P- | sort
docker volume rm $P-nosuch || echo "missing: $?"
