# Scenario: events --since/--until with a container filter: the lifecycle actions in order
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
since=$(date +%s)
docker run --name $P-a alpine true
docker rm $P-a >/dev/null
until=$(( $(date +%s) + 1 ))
docker events --since $since --until $until --filter container=$P-a --format '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}'
