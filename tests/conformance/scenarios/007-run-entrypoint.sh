# Scenario: --entrypoint overrides, entrypoint plus cmd, empty entrypoint
docker run --rm --entrypoint echo alpine a b c
docker run --rm --entrypoint /bin/sh alpine -c 'echo via entrypoint sh'
docker run --rm --entrypoint "" alpine echo empty entrypoint
docker run --rm --entrypoint printf alpine '%s-%s\n' x y
