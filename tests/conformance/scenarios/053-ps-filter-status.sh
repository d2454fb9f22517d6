# Scenario: ps --filter status=created|running|exited|paused and exited=N
trap 'docker rm -f $P-c $P-r $P-e0 $P-e3 $P-p >/dev/null 2>&1 || true' EXIT
docker create --name $P-c alpine true >/dev/null
docker run -d --name $P-r alpine sleep 1000 >/dev/null
docker run --name $P-e0 alpine true
docker run --name $P-e3 alpine sh -c 'exit 3' || true
docker run -d --name $P-p alpine sleep 1000 >/dev/null
docker pause $P-p >/dev/null
for s in created running exited paused; do
  echo "$s: $(docker ps -a --filter name=$P- --filter status=$s --format '{{.Names}}' | sort | tr '\n' ' ')"
done
echo "exited=0: $(docker ps -a --filter name=$P- --filter exited=0 --format '{{.Names}}' | sort | tr '\n' ' ')"
echo "exited=3: $(docker ps -a --filter name=$P- --filter exited=3 --format '{{.Names}}' | sort | tr '\n' ' ')"
echo "running+exited: $(docker ps -a --filter name=$P- --filter status=running --filter status=exited --format '{{.Names}}' | sort | tr '\n' ' ')"
docker ps -a --filter name=$P-p --format '{{.Status}}'
docker unpause $P-p >/dev/null
