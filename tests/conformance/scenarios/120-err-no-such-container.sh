# Scenario: every container verb on a missing container: message and exit code
# compare: stdout stderr exit
for verb in start stop restart kill pause unpause rm logs port top diff export; do
  docker $verb $P-nosuch >/dev/null || echo "$verb: $?"
done
docker attach $P-nosuch || echo "attach: $?"
docker update --restart no $P-nosuch || echo "update: $?"
