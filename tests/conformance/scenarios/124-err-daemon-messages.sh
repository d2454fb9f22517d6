# Scenario: daemon-side validation messages (relative workdir, missing command, bad restart with --rm)
# compare: stdout stderr exit
docker run --rm -w relative/dir alpine true || echo "relative workdir: $?"
docker run --rm alpine || echo "no command: $?"
docker run --rm --restart always alpine true || echo "rm + restart: $?"
