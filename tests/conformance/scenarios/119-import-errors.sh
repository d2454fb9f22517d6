# Scenario: load/import/save errors: not a tar, missing image
# compare: stdout exit
echo "not a tar" > junk
docker load -i junk >/dev/null 2>&1 || echo "load junk: $?"
docker save $P-nosuch:1 -o out.tar 2>/dev/null || echo "save missing: $?"
docker import nosuchfile 2>/dev/null || echo "import missing file: $?"
