# Scenario: -v /path creates an anonymous volume with an id name; an empty new volume takes a copy of the image's directory (modes kept), unless nocopy; a non-empty one is left alone
trap 'docker rm -f -v $P-a >/dev/null 2>&1 || true; docker volume rm -f $P-v $P-n >/dev/null 2>&1 || true' EXIT
docker run --name $P-a -v /data alpine sh -c 'echo x > /data/f; ls /data'
name=$(docker inspect -f '{{range .Mounts}}{{.Name}}{{end}}' $P-a)
echo "$name" | grep -Eq '^[0-9a-f]{64}$' && echo "anonymous name is 64 hex"
docker volume inspect -f '{{.Driver}}' $name
docker run --rm -v /etc alpine sh -c 'test -f /etc/passwd && echo "image content copied into the new volume"'
docker run --rm -v $P-v:/bin alpine sh -c 'ls -ld /bin | cut -c1-10; test -x /bin/sh && echo "sh copied with its mode"; rm /bin/ls'
docker run --rm -v $P-v:/bin alpine sh -c 'test -e /bin/ls || echo "second mount of a non-empty volume is not refilled"'
docker run --rm -v $P-n:/etc:nocopy alpine sh -c 'ls /etc | wc -l'
docker run --rm -v $P-v:/no/such/dir alpine sh -c 'ls /no/such/dir | wc -l'
