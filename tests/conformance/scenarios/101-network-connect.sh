# Scenario: run --network, connect/disconnect show in inspect
trap 'docker rm -f $P-a >/dev/null 2>&1 || true; docker network rm $P-n1 $P-n2 >/dev/null 2>&1 || true' EXIT
docker network create $P-n1 >/dev/null
docker network create $P-n2 >/dev/null
docker run -d --name $P-a --network $P-n1 --network-alias web alpine sleep 1000 >/dev/null
docker inspect -f '{{.HostConfig.NetworkMode}}' $P-a
docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{json $v.Aliases}}{{println}}{{end}}' $P-a
docker network connect $P-n2 $P-a
docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{println}}{{end}}' $P-a
docker network inspect -f '{{range .Containers}}{{.Name}}{{end}}' $P-n2
docker network disconnect $P-n1 $P-a
docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{println}}{{end}}' $P-a
docker ps --filter network=$P-n2 --format '{{.Names}} {{.Networks}}'
