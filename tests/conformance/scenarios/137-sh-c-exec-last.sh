# Scenario: sh -c runs its last plain command in place of the shell (same pid, no new process), as ash does; not an earlier one, a backgrounded one or one after a trap
# compare: stdout exit
trap 'docker rm -f $P-a $P-b $P-c $P-d >/dev/null 2>&1 || true' EXIT
docker run -d --name $P-a alpine sh -c 'echo hi >/dev/null; sleep 2000' >/dev/null
docker run -d --name $P-b alpine sh -c 'sleep 2000; echo done' >/dev/null
docker run -d --name $P-c alpine sh -c 'true && sleep 2000' >/dev/null
docker run -d --name $P-d alpine sh -c 'trap "echo bye" TERM; sleep 2000' >/dev/null
for c in a b c d; do
  for i in $(seq 50); do docker top $P-$c | grep -q 'sleep 2000' && break; sleep 0.1; done
  echo "== $c"
  docker top $P-$c -o pid,args | awk 'NR>1 {$1=""; sub(/^ /, ""); print}'
done
docker run --rm --pids-limit 1 alpine sh -c 'echo only; cat /etc/hostname' | wc -l
docker run --rm --pids-limit 1 alpine sh -c 'cat /etc/hostname >/dev/null; echo "not reached"' 2>/dev/null || echo "exit $?"
docker run --rm alpine sh -c 'exit 3; true' || echo "exit $?"
docker run --rm alpine sh -c 'echo x; sh -c "exit 4"' || echo "exit $?"
