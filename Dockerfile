#
# paysandbox — self-hosted payment-API sandbox.
#
#   docker build -t paysandbox .
#   docker run --rm -p 8080:8080 -v paysandbox-data:/data paysandbox
#
# Two stages: a Rust build stage (dependencies cached in their own layer) that links the
# binary statically (glibc's crt-static: mimalloc and the bundled SQLite included), and a
# `scratch` runtime holding that binary, an empty /data owned by the sandbox's user, /tmp and
# a passwd line. Migrations and the default fixtures are embedded in the binary at compile
# time, so the runtime image needs nothing else: no shell, no libc, no package manager.

############################ build ############################
FROM rust:1-slim-bookworm AS build

# crt-static applies to the --target build only (build scripts and proc macros stay dynamic).
ENV CARGO_TERM_COLOR=never \
    CARGO_INCREMENTAL=0 \
    RUSTFLAGS="-C target-feature=+crt-static"
WORKDIR /app

# The host's own triple (x86_64- or aarch64-unknown-linux-gnu), so the same Dockerfile builds
# every platform of a multi-arch image.
RUN rustc -vV | sed -n 's/^host: //p' > /target-triple

# 1) Dependencies only: build the locked dependency graph against dummy crate sources, so
#    this layer is reused as long as Cargo.toml / Cargo.lock do not change.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src \
 && echo 'fn main() {}' > src/main.rs \
 && : > src/lib.rs \
 && cargo build --release --locked --target "$(cat /target-triple)" \
 && rm -rf src \
 && rm -rf target/*/release/paysandbox \
           target/*/release/deps/paysandbox-* \
           target/*/release/deps/libpaysandbox-* \
           target/*/release/libpaysandbox.* \
           target/*/release/.fingerprint/paysandbox-*

# 2) The real crate. The providers' migrations (src/providers/*/migrations, include_str!) and
#    fixtures/ (include_str!) are read at compile time. Touch the sources so cargo never
#    mistakes them for the dummy build.
COPY build.rs ./
COPY src ./src
COPY fixtures ./fixtures
RUN find build.rs src fixtures -type f -exec touch {} + \
 && cargo build --release --locked --target "$(cat /target-triple)" \
 && bin="target/$(cat /target-triple)/release/paysandbox" \
 && { ldd "$bin" 2>&1 | grep -qE 'not a dynamic executable|statically linked' \
      || { echo "paysandbox is not linked statically:"; ldd "$bin"; exit 1; }; } \
 && install -D -m 0755 "$bin" /rootfs/usr/local/bin/paysandbox \
 && mkdir -p /rootfs/etc /rootfs/tmp /owned/data \
 && chmod 1777 /rootfs/tmp \
 && chmod 0750 /owned/data \
 && echo 'paysandbox:x:10001:10001:paysandbox:/data:/sbin/nologin' > /rootfs/etc/passwd \
 && echo 'paysandbox:x:10001:' > /rootfs/etc/group

############################ runtime ############################
FROM scratch

LABEL org.opencontainers.image.title="paysandbox" \
      org.opencontainers.image.description="Self-hosted sandbox emulating the Chillr, PayPro ConnectPay, AggrePay wallet and Jaze payment APIs" \
      org.opencontainers.image.licenses="MIT"

COPY --from=build /rootfs/ /
# /data (the SQLite database) is the only place the unprivileged user writes; a named volume
# mounted there starts as a copy of it, ownership included.
COPY --from=build --chown=10001:10001 /owned/ /

ENV DATABASE_URL=sqlite:///data/paysandbox.db?mode=rwc \
    PORT=8080 \
    HOST=0.0.0.0 \
    LOG_FORMAT=json

USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8080

# The binary checks http://127.0.0.1:$PORT/__sandbox/health itself (there is no curl).
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/paysandbox", "healthcheck"]

# No subcommand = serve. Extra arguments (e.g. `healthcheck`, `reset`, `--help`) pass through.
ENTRYPOINT ["/usr/local/bin/paysandbox"]
