#!/bin/sh
# `cmake --install --prefix X` puts every file under X (the config in
# X/etc/cpa, not /etc/cpa), and the installed binary finds that config
# without --config. Usage: install_prefix_test.sh BUILD_DIR
set -eu
build=$1
prefix=$(mktemp -d "${TMPDIR:-/tmp}/cpa-prefix-XXXXXX")
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" --component runtime >"$prefix.log" 2>&1 || { cat "$prefix.log"; exit 1; }
outside=$(grep -E "^-- (Installing|Up-to-date): " "$prefix.log" | grep -v -- ": $prefix/" || true)
rm -f "$prefix.log"
[ -z "$outside" ] || { echo "FAIL: installed outside the prefix:"; echo "$outside"; exit 1; }
[ -f "$prefix/etc/cpa/config.yaml" ] || { echo "FAIL: no $prefix/etc/cpa/config.yaml"; exit 1; }
[ -f "$prefix/share/man/man8/cpa-server.8.gz" ] || { echo "FAIL: no manual page"; exit 1; }
out=$(cd / && CPA_PANEL_AUTO_UPDATE=0 "$prefix/bin/cpa-server" -t --modules-dir "$prefix/lib/cpa/modules" 2>&1) || true
case "$out" in
  *"$prefix/etc/cpa/config.yaml: OK"*) echo "install prefix: all files under $prefix; config found" ;;
  /etc/cpa/config.yaml*) echo "SKIP: an installed /etc/cpa/config.yaml comes first" ;;
  *) echo "FAIL: the installed binary did not use its prefix's config:"; echo "$out"; exit 1 ;;
esac
