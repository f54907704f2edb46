# syntax=docker/dockerfile:1
# The service in a small image: built in a Rust image, run in a slim Debian
# one as a non-root user, its SQLite database on the /data volume.
#
#   docker build -t chatwoot-integration .
#   docker run -p 8080:8080 -e ADMIN_TOKEN=change-me -v cw-data:/data chatwoot-integration

FROM rust:1-bookworm AS builder
WORKDIR /src
COPY . .
# The registry and target caches outlive the build, so a source edit
# recompiles only the workspace, not every dependency. The binary is copied
# out of the cached target folder, which the next stage cannot see.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin chatwoot-integration \
    && cp target/release/chatwoot-integration /usr/local/bin/chatwoot-integration

FROM debian:bookworm-slim
# CA certificates: the Chatwoot check calls https servers.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /nonexistent --shell /usr/sbin/nologin app \
    && mkdir -p /data /app \
    && chown app:app /data
COPY --from=builder /usr/local/bin/chatwoot-integration /usr/local/bin/chatwoot-integration
# Settings are read from ./config, relative to the working folder.
COPY config /app/config
WORKDIR /app
ENV DATABASE_URL=sqlite:///data/chatwoot-integration.sqlite \
    LISTEN_ADDR=0.0.0.0:8080 \
    RUST_LOG=info
# A named volume starts as a copy of this folder, owned by app.
VOLUME ["/data"]
# Numeric, so runtimes can verify it is not root (runAsNonRoot).
USER 10001:10001
EXPOSE 8080
# The binary probes itself: no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["chatwoot-integration", "healthcheck"]
ENTRYPOINT ["chatwoot-integration"]
CMD ["serve"]
