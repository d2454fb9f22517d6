# Scenario: the command is PID 1 and $$ inside the container is 1
docker run --rm alpine sh -c 'echo $$'
