# Scenario: inspect .Config: Cmd, Entrypoint, Env, WorkingDir, User, Labels, Image, Tty, OpenStdin, StopSignal
trap 'docker rm -f $P-a $P-b >/dev/null 2>&1 || true' EXIT
docker create --name $P-a -e A=1 -e B=two -w /tmp -u nobody --label k=v -t -i --stop-signal SIGUSR1 --stop-timeout 7 alpine sh -c 'echo hi' >/dev/null
docker inspect -f '{{json .Config.Cmd}}|{{json .Config.Entrypoint}}|{{.Config.WorkingDir}}|{{.Config.User}}|{{.Config.Image}}' $P-a
docker inspect -f '{{join .Config.Env "\n"}}' $P-a | sort  # the CLI's order varies
docker inspect -f '{{json .Config.Labels}} tty={{.Config.Tty}} stdin={{.Config.OpenStdin}} once={{.Config.StdinOnce}} {{.Config.StopSignal}} {{.Config.StopTimeout}}' $P-a
docker inspect -f '{{.Config.AttachStdin}} {{.Config.AttachStdout}} {{.Config.AttachStderr}}' $P-a
docker create --name $P-b --entrypoint /bin/echo alpine a b >/dev/null
docker inspect -f '{{json .Config.Cmd}}|{{json .Config.Entrypoint}}|{{.Path}}|{{json .Args}}' $P-b
