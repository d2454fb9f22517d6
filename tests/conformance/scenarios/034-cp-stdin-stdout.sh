# Scenario: docker cp with - : a tar on stdin extracts in the container; stdout gives a tar
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
mkdir -p t/dir && echo x > t/dir/x && echo y > t/y
tar -C t -cf in.tar dir y
docker cp - $P-a:/tmp < in.tar
docker exec $P-a sh -c 'cat /tmp/dir/x /tmp/y'
docker cp $P-a:/tmp/dir - | tar -tf - | sort
docker cp $P-a:/tmp/y - | tar -xOf -
