# Scenario: inspect .State of created, running, exited and killed containers
trap 'docker rm -f $P-a $P-b $P-c >/dev/null 2>&1 || true' EXIT
f='{{.State.Status}} running={{.State.Running}} paused={{.State.Paused}} restarting={{.State.Restarting}} oom={{.State.OOMKilled}} dead={{.State.Dead}} exit={{.State.ExitCode}} err=[{{.State.Error}}]'
docker create --name $P-a alpine sh -c 'exit 9' >/dev/null
docker inspect -f "$f" $P-a
docker inspect -f '{{.State.StartedAt}} {{.State.FinishedAt}}' $P-a
docker start $P-a >/dev/null; docker wait $P-a >/dev/null
docker inspect -f "$f" $P-a
docker run -d --name $P-b alpine sleep 1000 >/dev/null
docker inspect -f "$f" $P-b
docker inspect -f '{{if gt .State.Pid 0}}pid>0{{end}}' $P-b
docker kill $P-b >/dev/null; docker wait $P-b >/dev/null
docker inspect -f "$f pid={{.State.Pid}}" $P-b
