# Scenario: run -t passes exit code and output through; without -t there is no tty
rc=0
script -qec "docker run -t --rm alpine sh -c 'echo hi; exit 5'" /dev/null >out || rc=$?
echo "exit $rc"
tr -d '\r' <out
docker run --rm alpine sh -c 'test -t 1 && echo tty || echo no-tty'
