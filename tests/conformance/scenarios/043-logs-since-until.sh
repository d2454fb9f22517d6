# Scenario: logs --since/--until select lines by time
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c 'echo early; sleep 2; echo late' >/dev/null
docker wait $P-a >/dev/null
early=$(docker logs -t $P-a | awk '/ early$/{print $1}')
early=$(date -u -d "${early%%.*}Z" +%s)
echo "since far future:"; docker logs --since 2099-01-01T00:00:00Z $P-a
echo "since epoch:"; docker logs --since 1970-01-02T00:00:00Z $P-a
echo "until epoch:"; docker logs --until 1970-01-02T00:00:00Z $P-a
echo "since 1h:"; docker logs --since 1h $P-a
echo "until 1 second after early:"; docker logs --until $((early + 1)) $P-a
echo "since 1 second after early:"; docker logs --since $((early + 1)) $P-a
