# Scenario: run/create of a missing image with --pull never; image verbs on a missing image
# compare: stdout stderr exit
docker run --pull never --rm $P-nosuch:1 true || echo "run: $?"
docker create --pull never $P-nosuch:1 true || echo "create: $?"
docker tag $P-nosuch:1 $P-other || echo "tag: $?"
docker history $P-nosuch:1 || echo "history: $?"
