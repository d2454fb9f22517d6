# Scenario: bind mounts of host dirs and files, :ro, --mount type=bind, writes visible on the host
mkdir -p host/sub && echo from-host > host/f && echo single > single.txt
docker run --rm -v "$T/host:/mnt" alpine sh -c 'cat /mnt/f; ls /mnt; echo from-container > /mnt/new'
cat host/new
docker run --rm -v "$T/single.txt:/etc/single.txt:ro" alpine cat /etc/single.txt
docker run --rm -v "$T/host:/mnt:ro" alpine sh -c 'echo x > /mnt/x' 2>/dev/null || echo "read-only bind: $?"
docker run --rm --mount "type=bind,source=$T/host,target=/m,readonly" alpine cat /m/f
docker run --rm --mount "type=bind,source=$T/nosuch,target=/m" alpine true 2>/dev/null || echo "missing source with --mount: $?"
docker run --rm -v "$T/created-by-v:/m" alpine true
test -d created-by-v && echo "-v creates a missing host dir"
