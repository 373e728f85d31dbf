# Build: a release binary of `trackly`.
FROM rust:1-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p trackly

# Run: the binary, libpq and curl for the health check.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/trackly /usr/local/bin/trackly
# The click spool lives in /var/lib/trackly, owned by the user the service runs as. A
# named volume mounted there starts with this ownership (Docker copies it on first use).
RUN useradd --system --uid 10001 --home-dir /var/lib/trackly --shell /usr/sbin/nologin trackly \
 && mkdir -p /var/lib/trackly \
 && chown trackly:trackly /var/lib/trackly
USER trackly
# Two malloc arenas: glibc's default of one per thread (up to 8 per core) keeps each
# thread's freed peak, which doubled the server's memory (docs/PERFORMANCE.md, Links).
ENV TRACKLY_BIND=0.0.0.0:8080 \
    TRACKLY_DATA_DIR=/var/lib/trackly \
    RUST_LOG=info \
    MALLOC_ARENA_MAX=2
VOLUME /var/lib/trackly
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["trackly"]
CMD ["serve"]
