#!/usr/bin/env bash
# Builds every function as a Lambda release zip (target/lambda/<function>/bootstrap.zip) and
# prints each zip's size.
#
#   infra/package.sh            arm64 cross build (cargo lambda + zig), what the template deploys
#
# When the aarch64 Rust target or zig is missing it falls back to a host build with
# `--compiler cargo`: good for measuring sizes and checking the release build, but those
# binaries are for this machine's architecture, not for the template's arm64 functions.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# cargo-lambda (and ziglang, when installed) live in the project's venv (make tools).
export PATH="$root/.local/venv/bin:$PATH"

if ! command -v cargo-lambda >/dev/null; then
    echo "package: cargo-lambda not found; run 'make tools' first" >&2
    exit 1
fi

have_zig() {
    command -v zig >/dev/null || python3 -c 'import ziglang' 2>/dev/null
}
have_arm64_target() {
    rustup target list --installed 2>/dev/null | grep -qx aarch64-unknown-linux-gnu ||
        rustup target add aarch64-unknown-linux-gnu >/dev/null 2>&1
}

if have_zig && have_arm64_target; then
    echo "package: release build for arm64 (cargo lambda + zig)"
    cargo lambda build --release --arm64 --output-format zip
else
    echo "package: zig or the aarch64 Rust target is missing: HOST build with --compiler cargo" >&2
    echo "package: these zips are $(uname -m) binaries and will not run on the arm64 functions" >&2
    cargo lambda build --release --compiler cargo --output-format zip
fi

lambda_dir="${CARGO_TARGET_DIR:-$root/target}/lambda"
shopt -s nullglob
zips=("$lambda_dir"/*/bootstrap.zip)
if [ ${#zips[@]} -eq 0 ]; then
    echo "package: no zips under $lambda_dir" >&2
    exit 1
fi
total=0
printf '%-20s %10s\n' function "zip bytes"
for zip in "${zips[@]}"; do
    size=$(stat -c %s "$zip")
    total=$((total + size))
    printf '%-20s %10d  (%s KiB)\n' "$(basename "$(dirname "$zip")")" "$size" "$((size / 1024))"
done
printf '%-20s %10d  (%s KiB, %d functions)\n' total "$total" "$((total / 1024))" "${#zips[@]}"
