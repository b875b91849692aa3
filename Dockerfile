# syntax=docker/dockerfile:1
# Build: docker build -t windvane .
# Run:   docker run -v windvane-data:/data -v $PWD/config:/config:ro windvane
FROM rust:1-slim-bookworm AS builder
WORKDIR /src
# Dependencies first, in their own cached layer.
COPY Cargo.toml Cargo.lock ./
# Every target the manifest declares must exist for cargo to read it: stub them all.
RUN mkdir -p src/demo benches tests/it && echo 'fn main() {}' > src/main.rs && echo '' > src/lib.rs \
    && echo 'fn main() {}' > src/build.rs && echo 'fn main() {}' > benches/classify.rs \
    && echo '' > tests/it/main.rs \
    && cargo build --release --locked --bin windvane || true
COPY . .
RUN touch src/main.rs src/lib.rs src/build.rs && cargo build --release --locked --bin windvane

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data windvane \
    && mkdir -p /data /config && chown windvane /data
COPY --from=builder /src/target/release/windvane /usr/local/bin/windvane
# The built-in default, storing on the /data volume (config/docker.toml; tests/it/docker.rs).
COPY config/docker.toml /config/windvane.toml
USER windvane
WORKDIR /data
VOLUME ["/data"]
# A mounted config should keep [store] path on /data (e.g. path = "/data/windvane.db").
ENV WINDVANE_CONFIG=/config/windvane.toml RUST_LOG=windvane=info,warn
STOPSIGNAL SIGTERM
# Healthy while the database takes writes and a source succeeded within its stale_after
# (`windvane status` without --health also exits 1 for needs-cookie, layout-changed, failed alerts).
HEALTHCHECK --interval=60s --timeout=20s --start-period=10m --retries=3 \
    CMD ["windvane", "status", "--health"]
ENTRYPOINT ["windvane"]
CMD ["--log-format", "json", "run"]
