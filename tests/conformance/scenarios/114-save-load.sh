# Scenario: save to a tar (legacy layout), rmi, load it back under the same name
trap 'docker rm -f $P-a >/dev/null 2>&1 || true; docker rmi $P-img:1 >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine sh -c 'echo saved > /saved'
docker commit $P-a $P-img:1 >/dev/null
docker rm $P-a >/dev/null
id=$(docker image inspect -f '{{.Id}}' $P-img:1)
docker save -o img.tar $P-img:1
tar -tf img.tar | grep -E '^(manifest.json|repositories)$' | sort
tar -tf img.tar | grep -c 'layer.tar$'
tar -xOf img.tar manifest.json | grep -o '"RepoTags":\[[^]]*\]'
docker rmi $P-img:1 >/dev/null
docker load -i img.tar
[ "$(docker image inspect -f '{{.Id}}' $P-img:1)" = "$id" ] && echo "same id after load"
docker run --rm $P-img:1 cat /saved
docker save $P-img:1 | docker load -q
