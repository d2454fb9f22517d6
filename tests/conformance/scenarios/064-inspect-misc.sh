# Scenario: inspect .Name, .Path, .Args, .RestartCount, .Platform, .Driver-independent fields, --type, -s
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker create --name $P-a alpine echo one two >/dev/null
docker inspect -f '{{.Name}} {{.Path}} {{json .Args}} {{.RestartCount}} {{.Platform}}' $P-a
docker inspect --type container -f '{{.Name}}' $P-a
docker inspect --type image -f '{{.Os}}' alpine
docker container inspect -f '{{.Name}}' $P-a
docker inspect -f '{{.Image}}' $P-a | grep -Eq '^sha256:[0-9a-f]{64}$' && echo "image is an id"
[ "$(docker inspect -f '{{.Image}}' $P-a)" = "$(docker image inspect -f '{{.Id}}' alpine)" ] && echo "same image id"
docker inspect $P-a | head -c 1; echo
docker inspect $P-a $P-a | grep -c '"Id"'
