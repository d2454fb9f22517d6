# Scenario: rmi errors: missing image, image used by a container, id with several tags; -f deletes an image a stopped container uses (the container still runs), never one a running container uses
# compare: stdout stderr exit
rid=
trap 'docker rm -f $P-a $P-r >/dev/null 2>&1 || true; docker rmi -f $P-img:1 $P-img:2 $P-run $rid >/dev/null 2>&1 || true' EXIT
docker rmi $P-nosuch || echo "missing: $?"
docker run --name $P-a alpine sh -c 'echo > /new'
docker commit $P-a $P-img:1 >/dev/null
docker tag $P-img:1 $P-img:2
id=$(docker image inspect -f '{{.Id}}' $P-img:1)
docker rmi ${id#sha256:} 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g; s/[0-9a-f]\{12\}/<id>/g' >&2 || true
docker rmi $P-img:2
docker rm $P-a >/dev/null
docker create --name $P-a $P-img:1 sh -c 'test -f /new && echo "layers kept for the container"' >/dev/null
docker rmi $P-img:1 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g; s/[0-9a-f]\{12\}/<id>/g' >&2 || true
docker rmi ${id#sha256:} 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g; s/[0-9a-f]\{12\}/<id>/g' >&2 || true
docker rmi -f $P-img:1 | sed 's/[0-9a-f]\{64\}/<id>/g'
docker image inspect $P-img:1 >/dev/null 2>&1 || echo "image gone"
docker start -a $P-a
docker inspect -f '{{.Image}}' $P-a | sed 's/[0-9a-f]\{64\}/<id>/g'
docker rm $P-a >/dev/null
docker run --name $P-a alpine sh -c 'echo > /new2'
docker commit $P-a $P-run >/dev/null
docker rm $P-a >/dev/null
docker run -d --name $P-r $P-run sleep 100 >/dev/null
rid=$(docker inspect -f '{{.Image}}' $P-r)
docker rmi -f $P-run | sed 's/[0-9a-f]\{64\}/<id>/g'
docker image inspect -f '{{.RepoTags}}' $rid
docker rmi -f $rid 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g; s/[0-9a-f]\{12\}/<id>/g' >&2 || true
