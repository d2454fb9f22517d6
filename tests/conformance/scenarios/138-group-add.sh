# Scenario: supplementary groups (--group-add by number and by name): id shows them, group permissions follow them, in run and exec; an unknown group fails the start
trap 'docker rm -f $P-g $P-n >/dev/null 2>&1 || true' EXIT
docker run --rm -u 1000 --group-add 50 --group-add daemon alpine id
docker run --rm -u daemon --group-add nogroup alpine id -G
docker run -d --name $P-g --group-add daemon alpine sleep 100 >/dev/null
docker run -d --name $P-n alpine sleep 100 >/dev/null
for c in g n; do
  docker exec $P-$c sh -c 'echo secret > /tmp/f && chgrp daemon /tmp/f && chmod 640 /tmp/f'
  docker exec -u 1000 $P-$c cat /tmp/f 2>/dev/null || echo "$c: group file not readable: $?"
  docker exec -u 1000 $P-$c id -G
done
docker run --rm --group-add nosuchgroup alpine true 2>/dev/null || echo "unknown group: $?"
