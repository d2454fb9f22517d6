# Scenario: -p publishes ports: inspect PortBindings, docker port and ps show them; the host port is really bound while the container runs, and a second container cannot take it
trap 'docker rm -f $P-a $P-b >/dev/null 2>&1 || true' EXIT
docker create --name $P-a -p 127.0.0.1::80 -p 9/udp --expose 7000 alpine sleep 1000 >/dev/null
docker inspect -f '{{json .HostConfig.PortBindings}}' $P-a
docker inspect -f '{{range $p, $v := .Config.ExposedPorts}}{{$p}} {{end}}' $P-a
docker start $P-a >/dev/null
docker port $P-a 80/tcp
docker port $P-a | sort
docker ps --filter name=$P-a --format '{{.Ports}}'
port=$(docker port $P-a 80/tcp | sed 's/.*://')
(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && echo "host port is bound"
docker run -d --name $P-b -p 127.0.0.1:$port:80 alpine sleep 1000 2>&1 >/dev/null | sed "s/[0-9a-f]\{64\}/<id>/g; s/:$port /:<port> /; s/endpoint [^ ]* /endpoint <name> /" || true
docker rm -f $P-b >/dev/null
docker stop -t 0 $P-a >/dev/null
docker port $P-a
(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || echo "host port released"
