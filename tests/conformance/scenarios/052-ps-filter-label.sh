# Scenario: ps --filter label=key and label=key=value
trap 'docker rm -f $P-a $P-b $P-c >/dev/null 2>&1 || true' EXIT
docker create --name $P-a --label $P-role=web --label $P-tier=1 alpine true >/dev/null
docker create --name $P-b --label $P-role=db alpine true >/dev/null
docker create --name $P-c alpine true >/dev/null
echo "role:"; docker ps -a --filter label=$P-role --format '{{.Names}}'
echo "role=web:"; docker ps -a --filter label=$P-role=web --format '{{.Names}}'
echo "role=web and tier:"; docker ps -a --filter label=$P-role=web --filter label=$P-tier --format '{{.Names}}'
echo "role=none:"; docker ps -a --filter label=$P-role=none --format '{{.Names}}'
echo "label value:"; docker ps -a --filter name=$P-a --format '{{.Label "'$P'-role"}}'
