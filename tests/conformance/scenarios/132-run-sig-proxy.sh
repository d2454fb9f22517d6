# Scenario: exit code of a container killed by a signal from inside (128+n)
docker run --rm alpine sh -c 'sh -c "kill -TERM \$\$"; echo "child: $?"'
# A non-interactive shell starts background jobs with SIGINT ignored
# (POSIX), so the job is ended with TERM; INT only raced on Docker too.
docker run --rm alpine sh -c 'sleep 100 & pid=$!; kill -TERM $pid; wait $pid; echo "wait: $?"'
docker run --rm alpine sh -c 'sleep 1 & pid=$!; kill -INT $pid; wait $pid; echo "ignored INT: $?"'
