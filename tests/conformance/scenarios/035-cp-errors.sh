# Scenario: docker cp errors: missing source, missing container, dir onto file, trailing slash on a missing dir
# compare: stdout stderr exit
trap 'docker rm -f $P-a >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sleep 1000 >/dev/null
echo x > f
mkdir d
docker cp $P-a:/no/such/file out || echo "missing source: $?"
docker cp f $P-nosuch:/tmp || echo "missing container: $?"
# The CLI may also log its own tar-writer error when the daemon refuses
# early; only the message for the user is compared.
docker cp f $P-a:/no/such/dir/ 2>err || echo "missing dest dir: $?"
grep -v 'level=error' err >&2
docker cp d $P-a:/etc/passwd 2>err || echo "dir onto file: $?"
grep -v 'level=error' err >&2
docker cp nosuchfile $P-a:/tmp 2>&1 | sed 's#/.*/nosuchfile#<cwd>/nosuchfile#' || true
