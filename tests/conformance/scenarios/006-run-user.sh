# Scenario: -u by name, uid, uid:gid; whoami, file ownership and the permission checks a non-root user meets
trap 'docker rm -f $P-u >/dev/null 2>&1 || true' EXIT
docker run --rm alpine id
docker run --rm -u nobody alpine id
docker run --rm -u 1000 alpine id
docker run --rm -u 1000:1000 alpine id
docker run --rm -u daemon:root alpine id
docker run --rm -u 1000 alpine sh -c 'touch /tmp/f && stat -c "%u %g" /tmp/f'
docker run --rm -u 1000 alpine sh -c 'touch /root/f' 2>/dev/null || echo "root dir not writable: $?"
docker run --rm -u nosuchuser alpine true 2>/dev/null || echo "unknown user: $?"
docker run --rm -u 1000 alpine sh -c 'echo x >> /etc/passwd' 2>/dev/null || echo "image file not writable: $?"
docker run --rm -u 1000 alpine sh -c 'rm -f /bin/sh' 2>/dev/null || echo "image dir not writable: $?"
docker run --rm -u 1000 alpine sh -c 'chmod 777 /etc/passwd' 2>/dev/null || echo "chmod of root file refused: $?"
docker run --rm -u 1000 alpine sh -c 'mkdir /tmp/d && chmod 700 /tmp/d && echo s > /tmp/d/f && cat /tmp/d/f && stat -c "%a %u" /tmp/d'
docker run -d --name $P-u alpine sleep 100 >/dev/null
docker exec $P-u sh -c 'mkdir -m 700 /tmp/p && echo s > /tmp/p/f && chmod 644 /tmp/p/f'
docker exec -u nobody $P-u cat /tmp/p/f 2>/dev/null || echo "file under a 0700 dir of another user: $?"
docker exec -u nobody $P-u ls /tmp/p 2>/dev/null || echo "listing a 0700 dir of another user: $?"
docker exec -u nobody $P-u sh -c 'echo y > /tmp/p/g' 2>/dev/null || echo "creating in it: $?"
docker rm -f $P-u >/dev/null
