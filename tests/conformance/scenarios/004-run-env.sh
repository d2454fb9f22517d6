# Scenario: environment: -e, -e NAME from the client, --env-file, image defaults
export FROM_CLIENT=client-value
printf 'F1=one\n# comment\nF2=two words\n' > envfile
docker run --rm -e A=1 -e B= -e FROM_CLIENT -e UNSET_IN_CLIENT --env-file envfile alpine sh -c '
  echo "A=$A B=[$B] FROM_CLIENT=$FROM_CLIENT F1=$F1 F2=$F2"
  echo "UNSET_IN_CLIENT=${UNSET_IN_CLIENT-unset}"
  echo "HOME=$HOME PATH=$PATH"'
docker run --rm -e HOME=/tmp -e PATH=/bin alpine sh -c 'echo "HOME=$HOME PATH=$PATH"'
docker run --rm -u nobody alpine sh -c 'echo "HOME=$HOME"'
