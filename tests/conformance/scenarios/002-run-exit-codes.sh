# Scenario: docker run exits with the container's exit code
docker run --rm alpine true && echo "true: 0"
docker run --rm alpine false || echo "false: $?"
docker run --rm alpine sh -c 'exit 3' || echo "exit 3: $?"
docker run --rm alpine sh -c 'exit 255' || echo "exit 255: $?"
docker run --rm alpine sh -c 'sleep 10 & kill -9 $!; wait $!' || echo "killed child: $?"
