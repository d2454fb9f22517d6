# Scenario: --network none and host are accepted and recorded
docker run --rm --network none alpine echo none ok
docker run --rm --network host alpine echo host ok
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker create --name $P-a --network none alpine true >/dev/null
docker inspect -f '{{.HostConfig.NetworkMode}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' $P-a
