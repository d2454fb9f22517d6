# Scenario: logs --tail N, --tail 0, --tail all, and -n
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine seq 1 10 >/dev/null
echo "--tail 3"; docker logs --tail 3 $P-a
echo "--tail 0"; docker logs --tail 0 $P-a
echo "-n 1"; docker logs -n 1 $P-a
echo "--tail all"; docker logs --tail all $P-a | wc -l
echo "--tail 100"; docker logs --tail 100 $P-a | wc -l
