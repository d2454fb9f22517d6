# Scenario: --cidfile writes the container id
trap 'docker rm -f $(cat cid 2>/dev/null) >/dev/null 2>&1 || true' EXIT
docker run --cidfile cid alpine true
grep -Eq '^[0-9a-f]{64}$' cid && echo "cidfile has the id"
docker inspect -f '{{.State.Status}}' $(cat cid)
