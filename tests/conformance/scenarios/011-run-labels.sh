# Scenario: labels from --label and --label-file show in inspect and filter ps
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
printf 'from.file=yes\n' > labels
docker create --name $P-a --label a=1 --label b --label-file labels alpine true >/dev/null
docker inspect -f '{{json .Config.Labels}}' $P-a
docker inspect -f '{{index .Config.Labels "a"}}' $P-a
