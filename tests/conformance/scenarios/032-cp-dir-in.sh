# Scenario: docker cp a directory in: new destination, existing destination, dir/. contents
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
mkdir -p src/sub && echo a > src/a && echo b > src/sub/b
docker cp src $P-a:/new
docker exec $P-a find /new | sort
docker exec $P-a mkdir /existing
docker cp src $P-a:/existing
docker exec $P-a find /existing | sort
docker exec $P-a mkdir /contents
docker cp src/. $P-a:/contents
docker exec $P-a find /contents | sort
docker cp src $P-a:/existing/
docker exec $P-a find /existing -name b | sort
