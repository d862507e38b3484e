# Build: the Rust toolchain with libpq headers (SQLite is bundled into the binary).
FROM rust:1.95-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs rustfmt.toml ./
COPY src src
COPY migrations migrations
# Mail templates, the report page and the desk (templates, CSS, htmx) are compiled into
# the binary; the manifest names the benches, so cargo wants their files even for `--bin`.
COPY templates templates
COPY static static
COPY benches benches
RUN cargo build --release --locked --bin woonservice

# Run: slim Debian with the PostgreSQL client library, as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin woonservice \
    && mkdir -p /data \
    && chown woonservice:woonservice /data
COPY --from=build /src/target/release/woonservice /usr/local/bin/woonservice
USER woonservice
WORKDIR /data
# The SQLite default lives on the volume; set DATABASE_URL=postgres://… (and JWT_SECRET) for PostgreSQL.
ENV BIND=0.0.0.0:8080 \
    DATABASE_URL=/data/woonservice.db \
    LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["woonservice"]
CMD ["serve"]
