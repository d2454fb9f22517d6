# Scenario: exec -i feeds stdin; without -i stdin is not attached
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
printf 'one\ntwo\n' | docker exec -i $P-a sh -c 'cat > /tmp/in; wc -l < /tmp/in'
echo "ignored" | docker exec $P-a cat
echo "(nothing above)"
printf 'echo from-stdin-script\nexit 3\n' | docker exec -i $P-a sh || echo "exit $?"
