# Scenario: --volumes-from shares another container's volumes
trap 'docker rm -f -v $P-src >/dev/null 2>&1 || true; docker volume rm $P-v >/dev/null 2>&1 || true' EXIT
docker run --name $P-src -v $P-v:/shared -v /anon alpine sh -c 'echo shared > /shared/f; echo anon > /anon/f'
docker run --rm --volumes-from $P-src alpine sh -c 'cat /shared/f /anon/f'
docker run --rm --volumes-from $P-src:ro alpine sh -c 'echo x > /shared/g' 2>/dev/null || echo "ro: $?"
