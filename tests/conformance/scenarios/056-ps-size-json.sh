# Scenario: ps -s size column and --format json keys
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine sh -c 'head -c 100000 /dev/zero > /big' >/dev/null
docker ps -a -s --filter name=$P-a --format '{{.Size}}'
docker ps -a --filter name=$P-a --format json | sed 's/","/"\n"/g; s/^{//; s/}$//' | sed 's/":.*//; s/"//g' | sort | tr '\n' ' '
echo
