# Scenario: data written to -v vol:/data persists into another container
trap 'docker volume rm $P-v >/dev/null 2>&1 || true' EXIT
docker run --rm -v $P-v:/data alpine sh -c 'echo persisted > /data/f; mkdir /data/d; ls -ld /data | cut -c1-10'
docker run --rm -v $P-v:/data alpine sh -c 'cat /data/f; ls /data'
docker run --rm -v $P-v:/mnt/other:ro alpine sh -c 'cat /mnt/other/f; echo x > /mnt/other/g' 2>/dev/null || echo "read-only: $?"
docker run --rm --mount type=volume,source=$P-v,target=/m alpine cat /m/f
