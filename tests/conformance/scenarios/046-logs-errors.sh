# Scenario: logs of a missing container
# compare: stdout stderr exit
docker logs $P-nosuch || echo "exit $?"
