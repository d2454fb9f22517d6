# Scenario: --rm removes the container after exit; without it the container stays
docker run --rm --name $P-rm alpine true
docker ps -a --filter name=$P-rm --format '{{.Names}}' | wc -l
trap 'docker rm -f $P-keep >/dev/null 2>&1 || true' EXIT
docker run --name $P-keep alpine sh -c 'exit 2' || echo "exit $?"
docker ps -a --filter name=$P-keep --format '{{.Names}} {{.Status}}'
docker rm $P-keep
docker ps -a --filter name=$P-keep --format '{{.Names}}' | wc -l
