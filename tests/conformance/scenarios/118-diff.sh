# Scenario: diff lists added (A), changed (C) and deleted (D) paths
trap 'docker rm -f $P-a $P-b >/dev/null 2>&1 || true' EXIT
docker run --name $P-a alpine sh -c 'mkdir -p /new/dir; echo x > /new/dir/f; echo y >> /etc/group; rm /bin/vi; echo t > /tmp/t'
docker diff $P-a | sort
docker create --name $P-b alpine true >/dev/null
echo "unstarted:"; docker diff $P-b | sort
