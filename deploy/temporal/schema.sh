#!/bin/sh
# One-shot (temporalio/admin-tools image): bring Temporal's two PostgreSQL schemas up to the
# version this server release needs. Safe on every start: setup-schema keeps a newer version,
# update-schema applies only the missing steps.
set -eu

SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

sql_tool() {  # database, then the temporal-sql-tool command
    database="$1"
    shift
    temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" \
        -u "$POSTGRES_USER" --db "$database" "$@"
}

for store in temporal:temporal visibility:temporal_visibility; do
    schema="${store%%:*}"
    database="${store##*:}"
    echo "schema of $database"
    sql_tool "$database" setup-schema -v 0.0
    sql_tool "$database" update-schema -d "$SCHEMA_DIR/$schema/versioned"
done
