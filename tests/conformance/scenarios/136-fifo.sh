# Scenario: named pipes: mkfifo and its errors, both ends in one shell (a background writer), ends in different docker exec processes, and docker stop of a container waiting on a pipe
trap 'docker rm -f $P-f $P-s >/dev/null 2>&1 || true' EXIT
docker run --rm alpine sh -c 'mkfifo /tmp/p && (echo viafifo > /tmp/p &) && cat /tmp/p'
docker run --rm alpine sh -c 'cd /tmp && mkfifo p && (seq 3 > p &) && wc -l < p'
docker run --rm alpine sh -c 'cd /tmp && mkfifo -m 600 p && stat -c "%a %F %u" p && ls -l p | cut -c1-10 && [ -p p ] && echo is-pipe'
docker run --rm alpine sh -c 'cd /tmp && mkfifo p && mkfifo p 2>&1; echo "again: $?"'
docker run --rm --read-only alpine sh -c 'mkfifo /p 2>&1; echo "read-only root: $?"'
docker run --rm -u nobody alpine sh -c 'mkfifo /etc/p 2>&1; echo "no write permission: $?"'
docker run -d --name $P-f alpine sh -c 'mkfifo /tmp/p && sleep 100' >/dev/null
docker exec $P-f sh -c 'until [ -p /tmp/p ]; do sleep 0.1; done'
docker exec -d $P-f sh -c 'seq 5 > /tmp/p'
docker exec $P-f sh -c 'wc -l < /tmp/p'
docker exec -d $P-f sh -c 'cat /tmp/p > /tmp/got'
docker exec $P-f sh -c 'echo between-execs > /tmp/p'
docker exec $P-f sh -c 'until [ -s /tmp/got ]; do sleep 0.1; done; cat /tmp/got'
docker rm -f $P-f >/dev/null
docker run -d --name $P-s alpine sh -c 'mkfifo /tmp/q && cat /tmp/q' >/dev/null
docker exec $P-s sh -c 'until [ -p /tmp/q ]; do sleep 0.1; done'
docker stop -t 1 $P-s >/dev/null
docker inspect -f '{{.State.ExitCode}}' $P-s
