# Scenario: ps -a with --format fields of running, exited and created containers (newest first)
trap 'docker rm -f $P-run $P-exit $P-created >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-run alpine sleep 1000 >/dev/null
docker run --name $P-exit alpine sh -c 'exit 3' || true
docker create --name $P-created alpine echo hi >/dev/null
docker ps -a --filter name=$P- --format '{{.Names}}|{{.Image}}|{{.Command}}|{{.Status}}|{{.State}}|{{.Ports}}|{{.Labels}}'
echo "running only:"
docker ps --filter name=$P- --format '{{.Names}}'
