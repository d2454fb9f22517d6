# Scenario: -u by name, uid, uid:gid; whoami and file ownership
# known-difference: gap (open, issue 3): runtime/rootfs does not enforce file permissions for non-root users, so -u 1000 can write where Docker refuses
docker run --rm alpine id
docker run --rm -u nobody alpine id
docker run --rm -u 1000 alpine id
docker run --rm -u 1000:1000 alpine id
docker run --rm -u daemon:root alpine id
docker run --rm -u 1000 alpine sh -c 'touch /tmp/f && stat -c "%u %g" /tmp/f'
docker run --rm -u 1000 alpine sh -c 'touch /root/f' 2>/dev/null || echo "root dir not writable: $?"
docker run --rm -u nosuchuser alpine true 2>/dev/null || echo "unknown user: $?"
