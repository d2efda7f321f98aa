#
# paysandbox — self-hosted payment-API sandbox.
#
#   docker build -t paysandbox .
#   docker run --rm -p 8080:8080 -v paysandbox-data:/data paysandbox
#
# Two stages: a Rust build stage (dependencies cached in their own layer) and a small
# Debian runtime holding only the binary. Migrations and the default fixtures are embedded
# in the binary at compile time, so the runtime image needs nothing else.

############################ build ############################
FROM rust:1-slim-bookworm AS build

ENV CARGO_TERM_COLOR=never \
    CARGO_INCREMENTAL=0
WORKDIR /app

# 1) Dependencies only: build the locked dependency graph against dummy crate sources, so
#    this layer is reused as long as Cargo.toml / Cargo.lock do not change.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src \
 && echo 'fn main() {}' > src/main.rs \
 && : > src/lib.rs \
 && cargo build --release --locked \
 && rm -rf src \
 && rm -f target/release/paysandbox \
          target/release/deps/paysandbox-* \
          target/release/deps/libpaysandbox-* \
          target/release/libpaysandbox.*

# 2) The real crate. The providers' migrations (src/providers/*/migrations, include_str!) and
#    fixtures/ (include_str!) are read at compile time. Touch the sources so cargo never
#    mistakes them for the dummy build.
COPY build.rs ./
COPY src ./src
COPY fixtures ./fixtures
RUN find build.rs src fixtures -type f -exec touch {} + \
 && cargo build --release --locked \
 && install -D -m 0755 target/release/paysandbox /out/paysandbox

############################ runtime ############################
FROM debian:bookworm-slim

LABEL org.opencontainers.image.title="paysandbox" \
      org.opencontainers.image.description="Self-hosted sandbox emulating the Chillr, PayPro ConnectPay, AggrePay wallet and Jaze payment APIs" \
      org.opencontainers.image.licenses="MIT"

# Unprivileged user; /data holds the SQLite database and is the only writable place needed.
# (-l: no lastlog/faillog entries, which would otherwise bloat the layer.)
RUN groupadd --gid 10001 paysandbox \
 && useradd -l --uid 10001 --gid 10001 --home-dir /data --no-create-home \
            --shell /usr/sbin/nologin paysandbox \
 && mkdir -p /data \
 && chown 10001:10001 /data \
 && chmod 0750 /data

COPY --from=build /out/paysandbox /usr/local/bin/paysandbox

ENV DATABASE_URL=sqlite:///data/paysandbox.db?mode=rwc \
    PORT=8080 \
    HOST=0.0.0.0 \
    LOG_FORMAT=json

USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8080

# The binary checks http://127.0.0.1:$PORT/__sandbox/health itself (no curl in the image).
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/paysandbox", "healthcheck"]

# No subcommand = serve. Extra arguments (e.g. `healthcheck`, `--help`) pass straight through.
ENTRYPOINT ["/usr/local/bin/paysandbox"]
