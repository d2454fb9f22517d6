# Scenario: rmi errors: missing image, image used by a container, id with several tags; -f
# compare: stdout stderr exit
# known-difference: gap (open, issue 3): rmi -f of an image a container uses is refused; Docker untags it and keeps the layers (needs layer reference counting)
trap 'docker rm -f $P-a >/dev/null 2>&1 || true; docker rmi -f $P-img:1 $P-img:2 >/dev/null 2>&1 || true' EXIT
docker rmi $P-nosuch || echo "missing: $?"
docker run --name $P-a alpine sh -c 'echo > /new'
docker commit $P-a $P-img:1 >/dev/null
docker tag $P-img:1 $P-img:2
id=$(docker image inspect -f '{{.Id}}' $P-img:1)
docker rmi ${id#sha256:} 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g; s/[0-9a-f]\{12\}/<id>/g' >&2 || true
docker rmi $P-img:2
docker rm $P-a >/dev/null
docker create --name $P-a $P-img:1 true >/dev/null
docker rmi $P-img:1 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g; s/[0-9a-f]\{12\}/<id>/g' >&2 || true
docker rmi -f $P-img:1 | sed 's/[0-9a-f]\{64\}/<id>/g'
