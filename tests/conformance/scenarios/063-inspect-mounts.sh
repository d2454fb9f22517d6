# Scenario: inspect .Mounts for a named volume, an anonymous volume and a bind mount
trap 'docker rm -f -v $P-a >/dev/null 2>&1 || true; docker volume rm $P-vol >/dev/null 2>&1 || true' EXIT
mkdir hostdir
docker create --name $P-a -v $P-vol:/data -v /anon -v "$T/hostdir:/host:ro" alpine true >/dev/null
docker inspect -f '{{range .Mounts}}{{.Type}} {{.Destination}} rw={{.RW}} mode=[{{.Mode}}] driver={{.Driver}}{{println}}{{end}}' $P-a | sort
docker inspect -f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Destination}} {{.Name}}{{println}}{{end}}{{end}}' $P-a | sort
docker inspect -f '{{range .Mounts}}{{if eq .Type "bind"}}{{.Source}}{{end}}{{end}}' $P-a
docker inspect -f '{{range .HostConfig.Binds}}{{println .}}{{end}}' $P-a | sort
