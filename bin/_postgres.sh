# A throwaway PostgreSQL cluster in .pg/ on 127.0.0.1:$PGPORT, for tests. Sourced.
PGPORT="${PGPORT:-54329}"
PGROOT="$ROOT/.pg"

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "PostgreSQL server not installed" >&2; return 1; }
  echo "$dir"
}

pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local bin
  bin=$(pg_bin)
  rm -rf "$PGROOT"
  mkdir -p "$PGROOT/data" "$PGROOT/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PGROOT"
  pg_as_owner "$bin/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  pg_as_owner "$bin/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/data/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  # Test databases are copies of template1: give them the extensions we use.
  "$bin/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d template1 \
    -c "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent;"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $PGPORT"
}

pg_stop() {
  local bin
  bin=$(pg_bin) || return 0
  pg_as_owner "$bin/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
