# Scenario: docker cp into a created (never started) container, then the file is there at start
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker create --name $P-a alpine cat /tmp/script.out >/dev/null
echo "copied before start" > script.out
docker cp script.out $P-a:/tmp/script.out
docker start -a $P-a
