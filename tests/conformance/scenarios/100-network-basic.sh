# Scenario: network create/ls/inspect/rm with labels; the default networks exist
trap 'docker network rm $P-n1 $P-n2 >/dev/null 2>&1 || true' EXIT
docker network create $P-n1 | grep -Eq '^[0-9a-f]{64}$' && echo "create printed id"
docker network create --label $P-k=v --internal $P-n2 >/dev/null
docker network ls --filter name=$P- --format '{{.Name}} {{.Driver}} {{.Scope}}' | sort
docker network ls -q --filter label=$P-k | wc -l
docker network inspect -f '{{.Name}} {{.Driver}} {{.Scope}} internal={{.Internal}} attachable={{.Attachable}} ipv6={{.EnableIPv6}} {{json .Labels}}' $P-n1 $P-n2
docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{.IPAM.Driver}}' $P-n1
docker network ls --format '{{.Name}} {{.Driver}}' --filter name=^bridge$ --filter name=^host$ --filter name=^none$ | sort
docker network rm $P-n1 $P-n2
docker network ls -q --filter name=$P- | wc -l
