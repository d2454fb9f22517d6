# Scenario: docker cp a directory out: to a new dir, into an existing dir, dir/. contents
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine sh -c 'mkdir -p /d/sub && echo 1 > /d/one && echo 2 > /d/sub/two && ln -s one /d/link'
docker cp $P-a:/d new
find new | sort
mkdir existing
docker cp $P-a:/d existing
find existing | sort
mkdir contents
docker cp $P-a:/d/. contents
find contents | sort
readlink contents/link
docker cp $P-a:/d/ slash
find slash | sort
