#!/bin/sh
# Builds the site and uploads only what changed, to a server over rsync or
# to object storage (S3 and anything `aws s3` speaks to). Run it where the
# output folder survives from one run to the next (a deploy host, a CI
# cache): kb rewrites only the files whose bytes changed and leaves the
# others as they were, modification time included.
#
#   DEST=deploy@web1:/srv/incidents/ docs/deploy/sync.sh rsync
#   DEST=s3://incidents-site/ docs/deploy/sync.sh s3
#
# SITE (default .) is the knowledge base, OUT (default public) the output
# folder under it; BASE_URL, when set, is where the site is published.
set -eu

SITE=${SITE:-.}
OUT=${OUT:-public}
DEST=${DEST:?set DEST to the rsync or s3:// destination}

if [ -n "${BASE_URL:-}" ]; then
  kb --root "$SITE" build -o "$OUT" --base-url "$BASE_URL"
else
  kb --root "$SITE" build -o "$OUT"
fi

case "${1:-rsync}" in
  rsync)
    # --checksum: contents decide what is sent, not modification times
    # (kb keeps two output trees and swaps them, so a file's time differs
    # from one build to the next even when its bytes do not); --delete
    # removes the pages of deleted postmortems.
    rsync --archive --checksum --delete --itemize-changes "$SITE/$OUT/" "$DEST"
    ;;
  s3)
    # Uploads files that are new, of another size, or modified after their
    # copy in the bucket: an unchanged file keeps a time older than that.
    aws s3 sync "$SITE/$OUT/" "$DEST" --delete
    ;;
  *)
    echo "usage: DEST=... $0 rsync|s3" >&2
    exit 2
    ;;
esac
