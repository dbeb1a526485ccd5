#!/bin/sh
# Run once by the postgres image on an empty volume (contrib/compose.yaml): the
# application's role, which owns nothing, and the extensions (docs/operations.md).
set -eu
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
  -v app_password="$(cat /run/secrets/db_app_password)" <<'SQL'
CREATE ROLE kinsight_app LOGIN PASSWORD :'app_password';
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
GRANT CONNECT ON DATABASE kinsight TO kinsight_app;
GRANT USAGE ON SCHEMA public TO kinsight_app;
ALTER DEFAULT PRIVILEGES FOR ROLE kinsight_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kinsight_app;
ALTER DEFAULT PRIVILEGES FOR ROLE kinsight_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO kinsight_app;
SQL
