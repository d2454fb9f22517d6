# Scenario: top lists the container's processes (shape: columns and commands)
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c 'sleep 1000 & sleep 2000 & wait' >/dev/null
for i in $(seq 50); do docker top $P-a | grep -q 'sleep 2000' && break; sleep 0.1; done
docker top $P-a | head -1 | tr -s ' '
docker top $P-a | awk 'NR>1{for(i=8;i<=NF;i++) printf "%s%s", $i, (i<NF?" ":"\n")}' | sort
docker top $P-a -o pid,comm | head -1 | tr -s ' '
docker stop -t 0 $P-a >/dev/null
docker top $P-a 2>&1 | sed 's/[0-9a-f]\{64\}/<id>/g' || true
