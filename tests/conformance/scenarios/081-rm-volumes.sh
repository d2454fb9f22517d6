# Scenario: rm -v removes anonymous volumes but keeps named ones
trap 'docker rm -f $P-a $P-b >/dev/null 2>&1 || true; docker volume rm $P-named >/dev/null 2>&1 || true' EXIT
docker create --name $P-a -v /anon -v $P-named:/named alpine true >/dev/null
anon=$(docker inspect -f '{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}}{{end}}{{end}}' $P-a)
docker volume inspect -f '{{.Name}}' $anon >/dev/null && echo "anonymous volume exists"
docker rm -v $P-a >/dev/null
docker volume inspect $anon >/dev/null 2>&1 || echo "anonymous volume removed"
docker volume inspect -f '{{.Name}}' $P-named
docker create --name $P-b -v /anon2 alpine true >/dev/null
anon=$(docker inspect -f '{{range .Mounts}}{{.Name}}{{end}}' $P-b)
docker rm $P-b >/dev/null
docker volume inspect -f 'kept without -v' $anon
docker volume rm $anon >/dev/null
