# Scenario: commit -m/-a set Comment and Author; commit of a running container pauses it by default
trap 'docker rm -f $P-a >/dev/null 2>&1 || true; docker rmi $P-img >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c 'echo running > /r; sleep 1000' >/dev/null
for i in $(seq 50); do docker exec $P-a test -f /r && break; sleep 0.1; done
docker commit -m "a message" -a "Someone <s@example.com>" $P-a $P-img >/dev/null
docker image inspect -f '{{.Comment}}|{{.Author}}' $P-img
docker inspect -f '{{.State.Status}}' $P-a
docker run --rm $P-img cat /r
