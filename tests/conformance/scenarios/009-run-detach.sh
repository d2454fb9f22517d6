# Scenario: run -d prints the full id; wait and logs give result and output
trap 'docker rm -f $P-d >/dev/null 2>&1 || true' EXIT
id=$(docker run -d --name $P-d alpine sh -c 'echo started; exit 4')
echo "$id" | grep -Eq '^[0-9a-f]{64}$' && echo "full id"
docker wait $P-d
docker logs $P-d
[ "$(docker inspect -f '{{.Id}}' $P-d)" = "$id" ] && echo "same id"
