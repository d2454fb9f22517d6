# Scenario: docker cp a file out of a container: to a dir, to a new name, from a stopped container
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine sh -c 'mkdir /data; echo content > /data/file; chmod 600 /data/file'
mkdir out
docker cp $P-a:/data/file out
docker cp $P-a:/data/file out/copy
cat out/file out/copy
stat -c '%a' out/file
docker cp $P-a:/etc/passwd - | tar -tf -
