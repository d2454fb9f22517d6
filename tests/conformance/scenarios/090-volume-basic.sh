# Scenario: volume create/ls/inspect/rm with labels and filters
trap 'docker volume rm $P-v1 $P-v2 >/dev/null 2>&1 || true' EXIT
docker volume create $P-v1
docker volume create --label $P-k=v $P-v2
docker volume ls --filter name=$P- --format '{{.Driver}} {{.Name}}' | sort
docker volume ls -q --filter label=$P-k
docker volume ls --filter label=$P-k=v --format '{{.Name}} {{.Labels}}'
docker volume inspect -f '{{.Name}} {{.Driver}} {{.Scope}} {{json .Labels}} {{json .Options}}' $P-v1 $P-v2
docker volume inspect -f '{{.Mountpoint}}' $P-v1
docker volume ls --filter name=$P-v1
docker volume create $P-v1
docker volume rm $P-v1 $P-v2
docker volume ls -q --filter name=$P-
