# Scenario: --read-only root fs refuses writes except to volumes; --tmpfs is writable
docker run --rm --read-only alpine sh -c 'touch /f' 2>/dev/null || echo "read-only: $?"
docker run --rm --read-only --tmpfs /scratch alpine sh -c 'echo x > /scratch/f && cat /scratch/f'
docker run --rm alpine sh -c 'touch /f && echo writable'
