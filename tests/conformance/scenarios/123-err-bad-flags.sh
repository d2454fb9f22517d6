# Scenario: invalid flags and values rejected by the CLI or the daemon, with exit 125
# compare: stdout exit
docker run --no-such-flag alpine true 2>/dev/null || echo "unknown flag: $?"
docker run -m 1x alpine true 2>/dev/null || echo "bad memory: $?"
docker run --restart bogus alpine true 2>/dev/null || echo "bad restart: $?"
docker run -w relative/dir alpine true 2>/dev/null || echo "relative workdir: $?"
docker run -v relative:/x:zz alpine true 2>/dev/null || echo "bad volume mode: $?"
docker run -p 99999:80 alpine true 2>/dev/null || echo "bad port: $?"
docker run --rm alpine 2>/dev/null || echo "no command: $?"
