# Scenario: -w sets the working dir (created when missing); default is /
docker run --rm alpine pwd
docker run --rm -w /tmp alpine pwd
docker run --rm -w /new/dir/here alpine sh -c 'pwd; ls -ld . | cut -c1-10'
docker run --rm -w /tmp/../etc alpine pwd
