#!/usr/bin/env bash
# Makes sure the machine has what the test suite talks to for real: Debian's chromium (Playwright
# drives it), pciutils (lspci reads the simulated trees), pci.ids (the PCI ID database), xz (fixture tarballs),
# libvirt (a real libvirtd for the libvirt adapter), qemu-system-x86 (libvirt's domains, and the
# real-kernel guest), promtool (checks /metrics) and udev (a boot acted out in the real-kernel guest).
# Installs what is missing when run as root on Debian; otherwise says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

# Where pci.ids may be: the one list the reader, the simulated host and the tests use too.
pci_ids_found=0
for location in $(grep '^export const PCI_IDS_LOCATIONS' packages/model/src/pciIdsLocations.ts | grep -o "'[^']*'" | tr -d "'"); do
  [ -f "/$location" ] && pci_ids_found=1
done

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v lspci >/dev/null 2>&1 || need+=(pciutils)
[ "$pci_ids_found" = 1 ] || need+=(pci.ids)
command -v xz >/dev/null 2>&1 || need+=(xz-utils)
command -v virsh >/dev/null 2>&1 || need+=(libvirt-clients)
command -v libvirtd >/dev/null 2>&1 || need+=(libvirt-daemon-system)
command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
# systemd-analyze scores the shipped units (packaging/systemdUnits.test.ts); ss (iproute2) finds the helper's peer.
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
# udevadm and 99-default.link: the real-kernel guest acts out a boot with udev's net_setup_link (persistence/*.guest.test.ts).
command -v udevadm >/dev/null 2>&1 || need+=(udev)

# promtool comes with Debian's prometheus package, whose installation would also add (and start) the
# Prometheus service: take the binary alone from the .deb into a cache, where test/needs.ts looks for it.
promtool_cached=$(grep '^export const PROMTOOL_CACHED' test/needs.ts | grep -o "'[^']*'" | tr -d "'")
need_promtool=0
command -v promtool >/dev/null 2>&1 || [ -x "$promtool_cached" ] || need_promtool=1

if [ ${#need[@]} -gt 0 ] || [ "$need_promtool" = 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    if [ ${#need[@]} -gt 0 ]; then
      echo "ensure-test-deps: installing ${need[*]}"
      apt-get install -y -qq "${need[@]}" >/dev/null
    fi
    if [ "$need_promtool" = 1 ]; then
      echo "ensure-test-deps: taking promtool from the prometheus package into $promtool_cached"
      deb_dir=$(mktemp -d)
      # apt downloads as the _apt user, which must be able to write there.
      chmod 0777 "$deb_dir"
      (cd "$deb_dir" && apt-get download -qq prometheus)
      dpkg-deb -x "$deb_dir"/prometheus_*.deb "$deb_dir/root"
      install -D -m 0755 "$deb_dir/root/usr/bin/promtool" "$promtool_cached"
      rm -rf "$deb_dir"
    fi
  else
    if [ ${#need[@]} -gt 0 ]; then
      echo "ensure-test-deps: the tests need these Debian packages: ${need[*]}" >&2
      echo "  sudo apt-get install -y ${need[*]}" >&2
    fi
    if [ "$need_promtool" = 1 ]; then
      echo "ensure-test-deps: the tests need promtool on PATH or at $promtool_cached (from Debian's prometheus package):" >&2
      echo "  sudo bash scripts/ensure-test-deps.sh  (takes it from the .deb without installing the service)" >&2
    fi
    exit 1
  fi
fi

# A real libvirtd for the libvirt adapter's tests (no systemd here: start the daemons by hand).
# virtlogd on its own: libvirtd answers `virsh version` without it, but cannot start a domain.
if [ "$(id -u)" = 0 ]; then
  pgrep -x virtlogd >/dev/null 2>&1 || virtlogd -d || true
fi
if [ "$(id -u)" = 0 ] && ! virsh -c qemu:///system version >/dev/null 2>&1; then
  pgrep -x libvirtd >/dev/null 2>&1 || libvirtd -d
  for _ in $(seq 1 50); do virsh -c qemu:///system version >/dev/null 2>&1 && break; sleep 0.2; done
  virsh -c qemu:///system version >/dev/null 2>&1 || { echo "ensure-test-deps: libvirtd did not come up" >&2; exit 1; }
fi

# Debian bookworm's own nodejs (18.20, what Proxmox VE 8 has), unpacked from the archive's packages into a
# folder (not installed): the packaged agent is run on it (packaging/bookwormNode.test.ts).
bookworm_node=$(grep '^export const BOOKWORM_NODE_ROOT' test/needs.ts | grep -o "'[^']*'" | tr -d "'")
if [ ! -x "$bookworm_node/usr/bin/node" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  node18_version() { apt-cache madison nodejs | awk -F'|' '$3 ~ /bookworm/ { v = $2; gsub(/ /, "", v); if (v ~ /^18\./) { print v; exit } }'; }
  version=$(node18_version)
  if [ -z "$version" ]; then apt-get update -qq; version=$(node18_version); fi
  if [ -n "$version" ]; then
    echo "ensure-test-deps: unpacking bookworm's nodejs $version into $bookworm_node"
    deb_dir=$(mktemp -d)
    chmod 0777 "$deb_dir"
    (cd "$deb_dir" && apt-get download -qq "nodejs=$version" "libnode108=$version" node-undici node-acorn node-cjs-module-lexer \
      libc-ares2 libuv1 libicu72 libnghttp2-14 libbrotli1 2>&1 | grep -v unsandboxed || true)
    rm -rf "$bookworm_node.new"
    for deb in "$deb_dir"/*.deb; do dpkg-deb -x "$deb" "$bookworm_node.new"; done
    if [ -x "$bookworm_node.new/usr/bin/node" ]; then rm -rf "$bookworm_node"; mv "$bookworm_node.new" "$bookworm_node"; fi
    rm -rf "$deb_dir"
  else
    echo "ensure-test-deps: no bookworm nodejs 18 in apt's sources; packaging/bookwormNode.test.ts will say so" >&2
  fi
fi
