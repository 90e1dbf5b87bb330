#!/bin/sh
# Runs once, when the PostgreSQL data directory is empty (/docker-entrypoint-initdb.d).
# Every service gets its own role and its own database, and only that role may connect to it:
# a participant cannot read another participant's tables even by mistake.
set -eu

owned_database() {  # database role password
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        --set database="$1" --set role="$2" --set password="$3" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
}

owned_database consumers consumers "$CONSUMERS_DB_PASSWORD"
owned_database orders orders "$ORDERS_DB_PASSWORD"
owned_database kitchen kitchen "$KITCHEN_DB_PASSWORD"
owned_database accounting accounting "$ACCOUNTING_DB_PASSWORD"
owned_database order_history order_history "$ORDER_HISTORY_DB_PASSWORD"
# Temporal's persistence and visibility stores; their schema comes from temporal-sql-tool.
owned_database temporal temporal "$TEMPORAL_DB_PASSWORD"
owned_database temporal_visibility temporal "$TEMPORAL_DB_PASSWORD"
