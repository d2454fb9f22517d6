# Scenario: run -t allocates a terminal: stdin/stdout are ttys, stderr merged into stdout, CRLF line endings
rc=0
script -qec "docker run -t --rm alpine sh -c 'test -t 0 && echo stdin-tty; test -t 1 && echo stdout-tty; echo err >&2; exit 3'" /dev/null >out || rc=$?
echo "exit $rc"
od -c out | sed 's/  */ /g'
