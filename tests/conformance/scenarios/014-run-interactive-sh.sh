# Scenario: a shell reading commands from stdin (run -i sh)
printf 'echo $((6*7))\nx=abc\necho ${#x}\nexit 4\necho never\n' | docker run -i --rm alpine sh || echo "exit $?"
