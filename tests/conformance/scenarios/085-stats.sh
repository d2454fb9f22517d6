# Scenario: stats --no-stream: one row per container, fields have the right shape
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
docker stats --no-stream --format '{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.NetIO}}|{{.BlockIO}}|{{.PIDs}}' $P-a >out
cut -d'|' -f1 out
cut -d'|' -f2 out | grep -Eq '^[0-9]+\.[0-9]{2}%$' && echo "cpu percent"
cut -d'|' -f3 out | grep -Eq '^[0-9.]+[kKMG]?i?B / [0-9.]+[kKMGT]?i?B$' && echo "mem usage / limit"
cut -d'|' -f4 out | grep -Eq '^[0-9]+\.[0-9]{2}%$' && echo "mem percent"
cut -d'|' -f7 out | grep -Eq '^[0-9]+$' && echo "pids"
docker stats --no-stream $P-a | head -1 | tr -s ' '
