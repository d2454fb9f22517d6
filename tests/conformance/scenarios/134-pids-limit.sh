# Scenario: --pids-limit counts the processes a container's shell starts (background jobs and commands); past it a fork fails, the shell says so and exits 2
# compare: stdout exit
docker run --rm --pids-limit 3 alpine sh -c 'sleep 2 & sleep 2 & echo started; sleep 1; echo "not reached"' 2>/dev/null || echo "exit $?"
docker run --rm --pids-limit 3 alpine sh -c 'sleep 1 & wait; sleep 0; echo "after the job ended: ok"'
docker run --rm --pids-limit 2 alpine sh -c 'sleep 1 & sleep 1 & echo "not reached"' 2>/dev/null || echo "a refused background job ends the shell: exit $?"
