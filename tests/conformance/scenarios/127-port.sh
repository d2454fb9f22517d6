# Scenario: -p publishes ports: inspect PortBindings, docker port and ps show them
# known-difference: by design: containers share the host's network, so a published port is the container's own port (Docker maps it to a random host port), which changes how the docker CLI groups the PORTS column
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker create --name $P-a -p 127.0.0.1::80 -p 9/udp --expose 7000 alpine sleep 1000 >/dev/null
docker inspect -f '{{json .HostConfig.PortBindings}}' $P-a
docker inspect -f '{{range $p, $v := .Config.ExposedPorts}}{{$p}} {{end}}' $P-a
docker start $P-a >/dev/null
docker port $P-a 80/tcp
docker port $P-a | sort
docker ps --filter name=$P-a --format '{{.Ports}}'
