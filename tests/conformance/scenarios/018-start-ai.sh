# Scenario: create -i then start -ai feeds stdin and returns the exit code
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker create -i --name $P-a alpine sh -c 'read l; echo "got $l"; exit 7' >/dev/null
echo "line1" | docker start -ai $P-a || echo "exit $?"
docker inspect -f '{{.Config.OpenStdin}} {{.Config.StdinOnce}} {{.Config.AttachStdin}}' $P-a
