# Scenario: the container's root directory: its mode and owner before and after the first write, and what a non-root user may do there
docker run --rm alpine stat -c '%a %u %g %F' /
docker run --rm alpine sh -c 'touch /f && stat -c "%a %u %g %F" / && ls / | grep -c "^f$"'
docker run --rm -u nobody alpine sh -c 'ls / | grep -c "^etc$"; cat /etc/hostname | wc -l; touch /g' 2>/dev/null || echo "non-root write to the root: $?"
docker run --rm -u nobody alpine id -u
