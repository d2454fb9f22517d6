# Scenario: exit code of a container killed by a signal from inside (128+n)
docker run --rm alpine sh -c 'sh -c "kill -TERM \$\$"; echo "child: $?"'
# A background job is ended with TERM: busybox ash starts async jobs with
# SIGINT ignored, but only once the child gets there, so INT races.
docker run --rm alpine sh -c 'sleep 100 & pid=$!; kill -TERM $pid; wait $pid; echo "wait: $?"'
