# Scenario: events filtered by type and event, for volumes, networks and containers
trap 'docker rm -f $P-a >/dev/null 2>&1 || true; docker volume rm $P-v >/dev/null 2>&1 || true; docker network rm $P-n >/dev/null 2>&1 || true' EXIT
since=$(date +%s)
docker volume create $P-v >/dev/null
docker network create $P-n >/dev/null
docker run -d --name $P-a alpine sleep 1000 >/dev/null
docker kill $P-a >/dev/null
docker volume rm $P-v >/dev/null
docker network rm $P-n >/dev/null
until=$(( $(date +%s) + 1 ))
echo "volume:"; docker events --since $since --until $until --filter type=volume --filter volume=$P-v --format '{{.Action}} {{.Actor.ID}}'
echo "network:"; docker events --since $since --until $until --filter type=network --filter network=$P-n --format '{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.type}}'
echo "die/kill:"; docker events --since $since --until $until --filter container=$P-a --filter event=die --filter event=kill --format '{{.Action}} {{.Actor.Attributes.exitCode}}{{.Actor.Attributes.signal}}'
echo "json:"; docker events --since $since --until $until --filter container=$P-a --filter event=start --format '{{json .}}' | sed 's/"time[A-Za-z]*":[0-9]*//g'
