# Sourced by the local stack's scripts: where they write logs and reports (SHOP_LOG_DIR overrides).
# Outside the source tree: cargo lambda watch gives every function instance it starts a watcher
# of the whole tree, and every line written anywhere inside it, even under a folder
# .cargolambdaignore names, is an event each watcher receives and filters. Under load the local
# stack's logs made cargo lambda spend half a core on that (measured: 0.7 % of a core idle, 51 %
# while a script appended ~1000 lines/s to a file under .local/). One folder per checkout.
if [ -z "${SHOP_LOG_DIR:-}" ]; then
  SHOP_LOG_DIR="${TMPDIR:-/tmp}/shop-logs-$(id -u)-$(printf %s "$PWD" | cksum | cut -d' ' -f1)"
fi
export SHOP_LOG_DIR
