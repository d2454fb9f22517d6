# Scenario: run -i streams a large stdin (2 MiB) and exit code through
head -c 2097152 /dev/zero | tr '\0' 'x' | docker run -i --rm alpine wc -c
seq 1 20000 | docker run -i --rm alpine sh -c 'tail -n 2; exit 6' || echo "exit $?"
