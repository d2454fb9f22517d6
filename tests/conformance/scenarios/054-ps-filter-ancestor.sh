# Scenario: ps --filter ancestor by name, by other tag of the same image, by id
trap 'docker rm -f $P-a $P-b >/dev/null 2>&1 || true; docker rmi $P-img:1 >/dev/null 2>&1 || true' EXIT
docker tag alpine $P-img:1
docker create --name $P-a alpine true >/dev/null
docker create --name $P-b $P-img:1 true >/dev/null
echo "alpine: $(docker ps -a --filter name=$P- --filter ancestor=alpine --format '{{.Names}}' | sort | tr '\n' ' ')"
echo "tag: $(docker ps -a --filter name=$P- --filter ancestor=$P-img:1 --format '{{.Names}}' | sort | tr '\n' ' ')"
id=$(docker image inspect -f '{{.Id}}' alpine)
echo "id: $(docker ps -a --filter name=$P- --filter ancestor=$id --format '{{.Names}}' | sort | tr '\n' ' ')"
docker ps -a --filter name=$P- --format '{{.Names}} {{.Image}}' | sort
