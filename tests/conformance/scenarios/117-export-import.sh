# Scenario: export a container's filesystem, import it as a new image with --change, run it
trap 'docker rm -f $P-a >/dev/null 2>&1 || true; docker rmi $P-imp:1 $P-imp:2 >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine sh -c 'echo exported > /exported'
docker export $P-a > fs.tar
tar -tf fs.tar | grep -E '^(exported|bin/busybox|etc/passwd|tmp/)$' | sort
docker export -o fs2.tar $P-a
cmp -s fs.tar fs2.tar && echo "export -o writes the same"
docker import --change 'CMD ["cat","/exported"]' -m "imported" fs.tar $P-imp:1 | grep -Eq '^sha256:[0-9a-f]{64}$' && echo "import printed id"
docker run --rm $P-imp:1
docker history --format '{{.Comment}}' $P-imp:1
cat fs.tar | docker import - $P-imp:2 >/dev/null
docker run --rm $P-imp:2 cat /exported
docker image inspect -f '{{json .Config.Cmd}}' $P-imp:2
