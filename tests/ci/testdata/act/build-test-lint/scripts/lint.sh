#!/bin/sh
# A toy linter: every script needs a shebang and no trailing whitespace.
set -e
bad=0
for f in "$1"/*.sh; do
	head -n1 "$f" | grep -q '^#!' || { echo "$f: missing shebang"; bad=1; }
	if grep -n '[[:space:]]$' "$f"; then echo "$f: trailing whitespace"; bad=1; fi
done
echo "RESULT lint-files=$(ls "$1"/*.sh | wc -l | tr -d ' ')"
exit $bad
