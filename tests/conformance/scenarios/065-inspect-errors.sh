# Scenario: inspect of missing objects: generic, container, image, volume, network
# compare: stdout stderr exit
docker inspect $P-nosuch || echo "exit $?"
docker container inspect $P-nosuch || echo "exit $?"
docker image inspect $P-nosuch || echo "exit $?"
docker volume inspect $P-nosuch || echo "exit $?"
docker network inspect $P-nosuch || echo "exit $?"
docker inspect --type container alpine || echo "exit $?"
