# Scenario: ps -q, --no-trunc, -n, -l with a name filter; ids match inspect
trap 'docker rm -f $P-a $P-b >/dev/null 2>&1 || true' EXIT
a=$(docker create --name $P-a alpine true)
b=$(docker create --name $P-b alpine true)
docker ps -aq --filter name=$P-a
[ "$(docker ps -aq --filter name=$P-a)" = "${a:0:12}" ] && echo "short id"
[ "$(docker ps -aq --no-trunc --filter name=$P-b)" = "$b" ] && echo "full id"
docker ps -aq --filter name=$P- | wc -l
docker ps -a -n 1 --filter name=$P- --format '{{.Names}}'
docker ps -l --filter name=$P- --format '{{.Names}}'
docker ps -a --filter id=$a --format '{{.Names}}'
