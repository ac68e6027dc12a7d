#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at TEST_DATABASE_URL; starts Debian's cluster when we are root.
set -uo pipefail
URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
answers() { node -e "
const postgres = require('postgres');
const sql = postgres(process.argv[1], { max: 1, connect_timeout: 3, onnotice() {} });
sql\`select 1\`.then(() => sql.end().then(() => process.exit(0)), () => process.exit(1));
" "$URL" 2>/dev/null; }
cd "$(dirname "$0")/../packages/db"
if answers; then echo "PostgreSQL answers at $URL"; exit 0; fi
if [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null; then
  ver=$(ls /etc/postgresql | sort -n | tail -1)
  echo "Starting PostgreSQL $ver (pg_ctlcluster --skip-systemctl-redirect $ver main start)"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  for _ in $(seq 1 30); do answers && { echo "PostgreSQL is up"; exit 0; }; sleep 1; done
fi
cat >&2 <<MSG
No PostgreSQL answers at $URL. The integration tests need one.
  - On Debian/Ubuntu as root:  apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect 15 main start
    (allow trust auth for 127.0.0.1 in pg_hba.conf, or put a password in TEST_DATABASE_URL)
  - Or point TEST_DATABASE_URL at a server where the user may create databases, e.g.
      TEST_DATABASE_URL=postgres://me:secret@db.example:5432/postgres npm test
MSG
exit 1
