# Scenario: run -i passes stdin and closes it at EOF; without -i stdin is not attached
echo "hello stdin" | docker run -i --rm alpine cat
printf 'a\nb\nc\n' | docker run -i --rm alpine wc -l
echo "not passed" | docker run --rm alpine cat
echo "(nothing above)"
docker run -i --rm alpine cat </dev/null
echo "empty stdin ok"
