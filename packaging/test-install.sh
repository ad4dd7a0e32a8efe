#!/usr/bin/env bash
# Builds the cpa-server and cpa-sdk-dev packages (.deb and .rpm, each with its
# debug-symbols package), checks their metadata and file lists, runs lintian
# (any error fails; each accepted warning has an override in packaging/debian),
# installs the .deb, runs the installed server as the
# cpa user on loopback, builds the third-party example plugin against the
# installed SDK and loads it, then purges and checks what is left.
# Run as root on Debian 12 (CI does). Usage: packaging/test-install.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
BUILD=${1:-$SRC/build/package}
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
MODDIR=/usr/lib/$MULTIARCH/cpa/modules
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }
step() { echo "=== test-install: $*"; }

step "build packages"
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
  -DCPA_BUILD_TESTS=OFF -DCPA_WERROR=ON >/dev/null
cmake --build "$BUILD" -j "$(nproc)"
rm -rf "$BUILD/packages"
(cd "$BUILD" && cpack -G DEB >/dev/null && cpack -G RPM >/dev/null)
DEB_SERVER=$(ls "$BUILD"/packages/cpa-server_*.deb)
DEB_SDK=$(ls "$BUILD"/packages/cpa-sdk-dev_*.deb)
RPM_SDK=$(ls "$BUILD"/packages/cpa-sdk-dev-[0-9]*.rpm)
RPM_SERVER=$(ls "$BUILD"/packages/cpa-server-[0-9]*.rpm)
ls "$BUILD"/packages/cpa-server-dbgsym_*.ddeb >/dev/null 2>&1 || fail "no cpa-server-dbgsym package"
ls "$BUILD"/packages/cpa-server-debuginfo-*.rpm >/dev/null 2>&1 || fail "no cpa-server-debuginfo rpm"

step "lintian"
command -v lintian >/dev/null || fail "lintian is not installed (scripts/install-deps)"
# Errors fail the build; warnings are printed (each accepted one is overridden
# with its reason in packaging/debian/<package>.lintian-overrides).
lintian --fail-on error --display-level ">=warning" "$DEB_SERVER" "$DEB_SDK" | tee /tmp/cpa-lintian.txt \
  || fail "lintian reports errors (above)"
grep -q "^E:" /tmp/cpa-lintian.txt && fail "lintian errors (above)"
echo "lintian: $(grep -c '^W:' /tmp/cpa-lintian.txt || true) warning(s), 0 errors"

step "check .deb metadata and contents"
dpkg-deb -I "$DEB_SERVER" > /tmp/cpa-deb-info.txt; grep -q "Package: cpa-server" /tmp/cpa-deb-info.txt || fail "deb name"
grep -q "Depends:.*libpoco" /tmp/cpa-deb-info.txt || fail "cpa-server deb lacks computed library dependencies"
dpkg-deb -I "$DEB_SERVER" conffiles | grep -x "/etc/cpa/config.yaml" >/dev/null || fail "config.yaml is not a conffile"
dpkg-deb -I "$DEB_SERVER" shlibs | grep -q "^libcpa_sdk 2 cpa-server" || fail "no shlibs entry for libcpa_sdk.so.2"
dpkg-deb -I "$DEB_SERVER" triggers | grep -q "activate-noawait ldconfig" || fail "no ldconfig trigger"
grep -q "^ Homepage: " /tmp/cpa-deb-info.txt || fail "no Homepage"
[ "$(sed -n '/^ Description:/,$p' /tmp/cpa-deb-info.txt | wc -l)" -gt 5 ] || fail "no extended description"
dpkg-deb -x "$DEB_SERVER" /tmp/cpa-deb-root
file -L /tmp/cpa-deb-root/usr/bin/cpa-server | grep -q ", stripped" || fail "cpa-server is not stripped"
rm -rf /tmp/cpa-deb-root
dpkg-deb -c "$DEB_SERVER" > /tmp/cpa-deb-files.txt
for f in ./usr/bin/cpa-server "./usr/lib/$MULTIARCH/libcpa_sdk.so.2" "./usr/lib/$MULTIARCH/cpa/modules/cpa_quota.so" \
         ./etc/cpa/config.yaml ./usr/lib/systemd/system/cpa-server.service ./usr/share/cpa/config.example.yaml \
         ./usr/share/man/man8/cpa-server.8.gz ./usr/share/doc/cpa-server/copyright ./usr/share/doc/cpa-server/changelog.gz; do
  grep -q " $f\( \|$\)" /tmp/cpa-deb-files.txt || fail "cpa-server deb lacks $f"
done
for m in config quota provider_keys logs usage oauth proxy metrics; do
  grep -q " ./usr/lib/$MULTIARCH/cpa/modules/cpa_$m.so\( \|$\)" /tmp/cpa-deb-files.txt || fail "cpa-server deb lacks module $m"
done
! grep -q "/usr/include" /tmp/cpa-deb-files.txt || fail "headers in the runtime package"
dpkg-deb -I "$DEB_SDK" | grep "Package: cpa-sdk-dev" >/dev/null || fail "sdk deb name"
dpkg-deb -c "$DEB_SDK" > /tmp/cpa-sdk-files.txt
for f in ./usr/include/cpa/sdk/plugin.hpp ./usr/include/cpa/sdk/version.hpp "./usr/lib/$MULTIARCH/libcpa_sdk.so" \
         "./usr/lib/$MULTIARCH/cmake/CpaSdk/CpaSdkConfig.cmake" "./usr/lib/$MULTIARCH/cmake/CpaSdk/CpaPlugin.cmake"; do
  grep -q " $f\( \|$\)" /tmp/cpa-sdk-files.txt || fail "cpa-sdk-dev deb lacks $f"
done
# The versioned library has one owner, cpa-server (packaging/sdk-package-files.cmake).
# (The path column only: the development link's target also names libcpa_sdk.so.2.)
! grep -q " \./usr/lib/[^ ]*/libcpa_sdk\.so\.[0-9]" /tmp/cpa-sdk-files.txt || fail "cpa-sdk-dev deb ships cpa-server's libcpa_sdk.so.2"

step "check .rpm metadata and contents"
rpm -qip "$RPM_SERVER" 2>/dev/null | grep "^Name *: cpa-server" >/dev/null || fail "rpm name"
rpm -qlp "$RPM_SERVER" 2>/dev/null | grep -x /usr/bin/cpa-server >/dev/null || fail "rpm lacks the binary"
rpm -qlp "$RPM_SERVER" 2>/dev/null | grep -x /etc/cpa/config.yaml >/dev/null || fail "rpm lacks the config"
rpm -qp --configfiles "$RPM_SERVER" 2>/dev/null | grep -x /etc/cpa/config.yaml >/dev/null || fail "rpm config not %config"
rpm -qlp "$RPM_SDK" 2>/dev/null | grep -x /usr/include/cpa/sdk/plugin.hpp >/dev/null || fail "sdk rpm lacks headers"

step "install the .deb packages"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$DEB_SERVER" "$DEB_SDK" > /tmp/cpa-apt-install.txt 2>&1 || { cat /tmp/cpa-apt-install.txt; fail "install"; }
grep -q "Next steps" /tmp/cpa-apt-install.txt || fail "no next-steps message after installation"
! grep -i "adduser\|warning" /tmp/cpa-apt-install.txt | grep -iv "^W: .*apt" || fail "warnings while installing (above)"
getent passwd cpa >/dev/null || fail "no cpa user"
[ "$(stat -c %U /var/lib/cpa)" = cpa ] || fail "/var/lib/cpa not owned by cpa"
[ "$(stat -c %U /var/log/cpa)" = cpa ] || fail "/var/log/cpa not owned by cpa"
perm=$(stat -c %a /etc/cpa/config.yaml); [ "${perm: -1}" = 0 ] || fail "config.yaml is world-readable ($perm)"

PID=""
start_server() {
  # Emptied here, not by the redirection below: that runs in the background and
  # the wait loop could otherwise read the previous run's "listening on".
  : > /tmp/cpa-run.log
  # setpriv execs the server itself (runuser would stay as its parent and eat the exit code).
  # CPA_PANEL_AUTO_UPDATE=0: the web panel's feed is GitHub; a test stays on loopback.
  HOME=/var/lib/cpa CPA_PANEL_AUTO_UPDATE=0 setpriv --reuid=cpa --regid=cpa --init-groups /usr/bin/cpa-server --config /etc/cpa/config.yaml \
    > /tmp/cpa-run.log 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do grep -q "listening on" /tmp/cpa-run.log && return 0; sleep 0.1; done
  cat /tmp/cpa-run.log; fail "installed server did not start"
}
stop_server() { kill -TERM "$PID"; wait "$PID" || fail "server exit code $?"; }
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null || true' EXIT

step "check the installed config, then run the installed server with it"
cpa-server --check-config --config /etc/cpa/config.yaml > /tmp/cpa-check.txt 2>&1 || { cat /tmp/cpa-check.txt; fail "--check-config"; }
grep -q ": OK$" /tmp/cpa-check.txt || { cat /tmp/cpa-check.txt; fail "the packaged config has warnings"; }
man -w cpa-server >/dev/null 2>&1 || [ -f /usr/share/man/man8/cpa-server.8.gz ] || fail "manual page"
start_server
curl -fsS http://127.0.0.1:8317/healthz | grep '"ok"' >/dev/null || fail "/healthz"
# The data plane is loaded: no client keys configured = open, no credentials = an empty model list.
curl -fsS http://127.0.0.1:8317/v1/models | grep '"data"' >/dev/null || { cat /tmp/cpa-run.log; fail "/v1/models"; }
[ -d /var/lib/cpa/auth ] || fail "the oauth module did not create its auth directory"
code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8317/v0/management/quota-exceeded/switch-project)
[ "$code" = 404 ] || fail "management API should be off without a secret (got $code)"
stop_server

step "set a secret; the management API answers"
sed -i 's/^  secret-key: ""/  secret-key: "install-test-secret"/' /etc/cpa/config.yaml
start_server
curl -fsS -H "Authorization: Bearer install-test-secret" \
  http://127.0.0.1:8317/v0/management/quota-exceeded/switch-project | grep "switch-project" >/dev/null || fail "management call"
grep -q 'install-test-secret' /etc/cpa/config.yaml && fail "plaintext secret left in config.yaml"
grep -q 'secret-key: "\$2' /etc/cpa/config.yaml || grep "secret-key: \$2" >/dev/null /etc/cpa/config.yaml || fail "secret not hashed"
stop_server

step "build the example plugin against the installed SDK and load it"
rm -rf /tmp/cpa-hello-build
cmake -S "$SRC/plugins/examples/hello-plugin" -B /tmp/cpa-hello-build -G Ninja >/dev/null
cmake --build /tmp/cpa-hello-build >/dev/null
install -m 0644 /tmp/cpa-hello-build/cpa_hello.so "$MODDIR/"
printf '\nhello:\n  greeting: "hi from a plugin"\n' >> /etc/cpa/config.yaml
start_server
curl -fsS -H "Authorization: Bearer install-test-secret" http://127.0.0.1:8317/v0/management/hello \
  | grep "hi from a plugin" >/dev/null || { cat /tmp/cpa-run.log; fail "example plugin route"; }
stop_server
rm -f "$MODDIR/cpa_hello.so"

step "purge"
apt-get purge -y -qq cpa-sdk-dev cpa-server >/dev/null
for p in /usr/bin/cpa-server "$MODDIR" /etc/cpa /var/lib/cpa /var/log/cpa /usr/include/cpa \
         /usr/lib/systemd/system/cpa-server.service "/usr/lib/$MULTIARCH/cmake/CpaSdk"; do
  [ -e "$p" ] && fail "$p left after purge"
done
getent passwd cpa >/dev/null || fail "the cpa system user should stay (Debian convention)"
echo "test-install: all checks passed"
