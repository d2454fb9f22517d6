# Scenario: docker run prints the command's stdout; stderr stays on stderr
# compare: stdout stderr exit
docker run --rm alpine echo hello world
docker run --rm alpine sh -c 'echo out; echo err >&2'
docker run --rm alpine printf '%s|' a 'b c' ''
echo
docker run --rm alpine sh -c 'printf "no newline"'
echo
