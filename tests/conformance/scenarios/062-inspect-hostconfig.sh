# Scenario: inspect .HostConfig fields set by run flags
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker create --name $P-a --restart on-failure:3 -m 64m --add-host h1:10.1.2.3 -p 8080:80 --privileged=false --init=false alpine true >/dev/null
docker inspect -f 'restart={{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}} mem={{.HostConfig.Memory}} autoremove={{.HostConfig.AutoRemove}} net={{.HostConfig.NetworkMode}}' $P-a
docker inspect -f '{{json .HostConfig.ExtraHosts}} {{json .HostConfig.PortBindings}} {{json .HostConfig.Binds}}' $P-a
docker inspect -f 'log={{.HostConfig.LogConfig.Type}} privileged={{.HostConfig.Privileged}} ro={{.HostConfig.ReadonlyRootfs}}' $P-a
docker rm $P-a >/dev/null
docker create --name $P-a --rm alpine true >/dev/null
docker inspect -f 'autoremove={{.HostConfig.AutoRemove}} restart={{.HostConfig.RestartPolicy.Name}}' $P-a
