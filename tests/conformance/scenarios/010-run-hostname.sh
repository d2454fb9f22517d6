# Scenario: default hostname is the short id; --hostname sets it; /etc/hostname follows
trap 'docker rm -f $P-a $P-b >/dev/null 2>&1 || true' EXIT
h=$(docker run --name $P-a alpine hostname)
[ "$h" = "$(docker inspect -f '{{slice .Id 0 12}}' $P-a)" ] && echo "hostname is the short id"
docker run --name $P-b --hostname box1 alpine sh -c 'hostname; cat /etc/hostname'
docker inspect -f '{{.Config.Hostname}}' $P-b
