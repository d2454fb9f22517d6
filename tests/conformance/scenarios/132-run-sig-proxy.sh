# Scenario: exit code of a container killed by a signal from inside (128+n)
docker run --rm alpine sh -c 'sh -c "kill -TERM \$\$"; echo "child: $?"'
docker run --rm alpine sh -c 'sleep 100 & pid=$!; kill -INT $pid; wait $pid; echo "wait: $?"'
