# Scenario: docker cp host file into a container: to a dir, to a new name, overwrite
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
printf 'hello cp\n' > f.txt
chmod 640 f.txt
docker cp f.txt $P-a:/tmp
docker cp f.txt $P-a:/tmp/renamed.txt
docker cp f.txt $P-a:/root/
docker exec $P-a sh -c 'cat /tmp/f.txt /tmp/renamed.txt /root/f.txt; stat -c "%a %n" /tmp/f.txt'
printf 'second\n' > f.txt
docker cp f.txt $P-a:/tmp/f.txt
docker exec $P-a cat /tmp/f.txt
