#!/usr/bin/env bash
# Builds livewasm-gateway_<version>_<arch>.deb from an already built gateway (scripts/build.sh native)
# with dpkg-deb: the binary, the systemd unit and config file of gateway/packaging/, the docs.
#
#   scripts/package-gateway.sh [--build-dir build/native] [--out build/packages] [--version 0.1.0]
#
# Prints the path of the .deb on its last line. Depends: from dpkg-shlibdeps over the binary.
# Installs:
#   /usr/bin/livewasm-gateway
#   /etc/livewasm-gateway/gateway.conf                 (a conffile: kept over upgrades)
#   /lib/systemd/system/livewasm-gateway.service       (not enabled: systemctl enable --now livewasm-gateway)
#   /usr/share/doc/livewasm-gateway/{README.md,PROTOCOL.md,copyright}
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$root/build/native
out=$root/build/packages
version=
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build_dir=$(cd "$2" && pwd); shift 2 ;;
    --out) mkdir -p "$2"; out=$(cd "$2" && pwd); shift 2 ;;
    --version) version=$2; shift 2 ;;
    *) echo "usage: $0 [--build-dir DIR] [--out DIR] [--version X.Y.Z]" >&2; exit 2 ;;
  esac
done
bin=$build_dir/gateway/livewasm-gateway
[ -x "$bin" ] || { echo "$bin missing: run scripts/build.sh native" >&2; exit 1; }
[ -n "$version" ] || version=$(node -p "require('$root/package.json').version")
arch=$(dpkg --print-architecture)
pkg=livewasm-gateway
maintainer=$(git -C "$root" log -1 --format="%an <%ae>" 2>/dev/null || true)
[ -n "$maintainer" ] || maintainer="livewasm maintainers <maintainers@localhost>"
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
tree=$stage/tree
install -D -m 0755 "$bin" "$tree/usr/bin/$pkg"
strip --strip-unneeded "$tree/usr/bin/$pkg" 2>/dev/null || true
install -D -m 0644 "$root/gateway/packaging/gateway.conf" "$tree/etc/$pkg/gateway.conf"
install -D -m 0644 "$root/gateway/packaging/$pkg.service" "$tree/lib/systemd/system/$pkg.service"
install -D -m 0644 "$root/gateway/README.md" "$tree/usr/share/doc/$pkg/README.md"
install -D -m 0644 "$root/gateway/PROTOCOL.md" "$tree/usr/share/doc/$pkg/PROTOCOL.md"
install -D -m 0644 "$root/gateway/packaging/copyright" "$tree/usr/share/doc/$pkg/copyright"

# Shared-library dependencies, as Debian's own packages compute them (dpkg-shlibdeps wants a
# debian/control beside it).
mkdir -p "$stage/src/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$pkg" "$pkg" >"$stage/src/debian/control"
depends=$(cd "$stage/src" && dpkg-shlibdeps -O "$tree/usr/bin/$pkg" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "dpkg-shlibdeps found no dependencies" >&2; exit 1; }

mkdir -p "$tree/DEBIAN"
installed_kb=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
cat >"$tree/DEBIAN/control" <<CONTROL
Package: $pkg
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_kb
Depends: $depends
Section: net
Priority: optional
Description: WebSocket to RTMP gateway for livewasm browser pushers and players
 Browsers cannot open TCP: livewasm pages reach rtmp:// servers through this gateway, one
 WebSocket carrying FLV per stream, RTMP publish or play toward an allowed server. Allow-lists for
 upstreams and origins, bounded queues, SIGTERM drain, /healthz and Prometheus /metrics.
 A hardened systemd unit is included (not enabled); flags live in /etc/livewasm-gateway/gateway.conf.
CONTROL
echo "/etc/$pkg/gateway.conf" >"$tree/DEBIAN/conffiles"
deb=$out/${pkg}_${version}_${arch}.deb
dpkg-deb --root-owner-group --build "$tree" "$deb" >/dev/null
echo "$deb"
