# Scenario: exec -e, -w, -u; exec inherits the container's env and workdir
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a -e FROM_RUN=r -w /tmp alpine sleep 1000 >/dev/null
docker exec $P-a sh -c 'pwd; echo "FROM_RUN=$FROM_RUN"'
docker exec -e X=1 -e FROM_RUN=override $P-a sh -c 'echo "X=$X FROM_RUN=$FROM_RUN"'
docker exec -w /etc $P-a pwd
docker exec -u nobody $P-a id
docker exec -u 1000:1000 $P-a sh -c 'id -u; id -g'
docker exec -w /no/such/dir $P-a pwd >/dev/null 2>&1 || echo "bad workdir: $?"
