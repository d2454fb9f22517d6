# Scenario: logs -f follows a running container until it exits
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c 'for i in 1 2 3; do echo line $i; sleep 0.3; done' >/dev/null
timeout 20 docker logs -f $P-a
echo "follow ended"
timeout 20 docker logs -f --tail 1 $P-a
