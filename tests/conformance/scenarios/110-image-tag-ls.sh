# Scenario: tag an image under new names; images lists them with the same id; rmi of a tag untags
trap 'docker rmi $P-img:v1 $P-img:v2 $P-other >/dev/null 2>&1 || true' EXIT
docker tag alpine $P-img:v1
docker tag alpine:latest $P-img:v2
docker tag $P-img:v1 $P-other
docker images --filter reference="$P-*" --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' | sort
[ "$(docker images -q $P-img:v1)" = "$(docker images -q alpine)" ] && echo "same id"
docker images $P-img | head -1 | tr -s ' '
docker rmi $P-img:v1
docker images --filter reference="$P-*" --format '{{.Repository}}:{{.Tag}}' | sort
docker tag alpine $P-BAD || echo "uppercase repo: $?"
