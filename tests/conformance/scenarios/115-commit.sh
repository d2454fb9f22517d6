# Scenario: commit a container's changes with --change CMD/ENV/WORKDIR/LABEL; the new image runs them
trap 'docker rm -f $P-a >/dev/null 2>&1 || true; docker rmi $P-img:c >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine sh -c 'mkdir /app; echo "committed file" > /app/f'
docker commit --change 'CMD ["cat", "f"]' --change 'ENV MODE=prod' --change 'WORKDIR /app' --change 'LABEL stage=test' $P-a $P-img:c | grep -Eq '^sha256:[0-9a-f]{64}$' && echo "commit printed id"
docker run --rm $P-img:c
docker run --rm $P-img:c sh -c 'echo "MODE=$MODE $(pwd)"'
docker image inspect -f '{{json .Config.Cmd}} {{json .Config.Env}} {{.Config.WorkingDir}} {{json .Config.Labels}}' $P-img:c
docker image inspect -f '{{.Container}}' $P-img:c | grep -Eq '^[0-9a-f]{64}$' && echo "records the container"
