# Scenario: the image's files and users are what the container sees (/etc/passwd, /bin, /tmp modes)
docker run --rm alpine cat /etc/passwd
docker run --rm alpine sh -c 'stat -c "%a %n" /tmp /root /etc/passwd'
docker run --rm alpine sh -c 'ls /bin | grep -cx busybox'
docker run --rm alpine sh -c 'test -d /proc && test -d /dev && echo "proc and dev exist"'
docker run --rm alpine sh -c 'echo x > /dev/null && cat /dev/null && echo "/dev/null works"'
