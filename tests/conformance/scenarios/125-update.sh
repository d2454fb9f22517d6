# Scenario: update changes the restart policy and memory limit recorded in HostConfig
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
docker update --restart on-failure:5 $P-a
docker inspect -f '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}' $P-a
docker update -m 128m --memory-swap 256m $P-a >/dev/null
docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}' $P-a
