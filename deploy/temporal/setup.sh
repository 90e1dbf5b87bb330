#!/bin/sh
# One-shot (temporalio/admin-tools image), once the Temporal frontend is up: the namespace and
# the saga search attributes (SagaType, SagaStatus as Keyword). Creates only what is missing,
# so it runs again harmlessly on every `docker-compose up`.
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-168h}"
ATTEMPTS="${SETUP_ATTEMPTS:-60}"

retry() {  # a command that may fail while the cluster is still settling
    attempt=1
    until "$@"; do
        if [ "$attempt" -ge "$ATTEMPTS" ]; then
            echo "giving up after $ATTEMPTS attempts: $*" >&2
            return 1
        fi
        attempt=$((attempt + 1))
        sleep 2
    done
}

namespace_exists() {
    temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1
}

ensure_namespace() {
    namespace_exists && return 0
    temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION"
}

attribute_listed() {
    temporal operator search-attribute list --namespace "$NAMESPACE" 2>/dev/null | grep -qw "$1"
}

ensure_keyword() {
    attribute_listed "$1" && return 0
    temporal operator search-attribute create --namespace "$NAMESPACE" --name "$1" --type Keyword
}

echo "waiting for Temporal at $TEMPORAL_ADDRESS"
retry temporal operator cluster health
retry ensure_namespace
for attribute in SagaType SagaStatus; do
    retry ensure_keyword "$attribute"
    retry attribute_listed "$attribute"  # visible to the frontend before any saga starts
    echo "search attribute $attribute ready in namespace $NAMESPACE"
done
