# Scenario: image history of an imported image and of a committed one (shape)
trap 'docker rm -f $P-a >/dev/null 2>&1 || true; docker rmi $P-img >/dev/null 2>&1 || true' EXIT
docker history alpine | head -1 | tr -s ' '
docker history --format '{{.CreatedBy}}|{{.Comment}}' alpine
docker history -q alpine | wc -l
docker run --name $P-a alpine sh -c 'echo x > /x'
docker commit -m "add x" $P-a $P-img >/dev/null
docker history --format '{{.CreatedBy}}|{{.Comment}}' $P-img
docker history --no-trunc --format '{{.ID}}' $P-img | head -1 | grep -Eq '^sha256:[0-9a-f]{64}$' && echo "top layer has the image id"
