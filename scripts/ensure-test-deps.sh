#!/usr/bin/env bash
# Makes sure the machine has what the test suite talks to for real: Debian's chromium (Playwright
# drives it), pciutils (lspci reads the simulated trees), pci.ids (the PCI ID database), xz (fixture tarballs),
# libvirt (a real libvirtd for the libvirt adapter) and qemu-system-x86 (libvirt's domains, and the
# real-kernel guest). Installs what is missing when run as root on Debian; otherwise says what to install.
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

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-test-deps: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "ensure-test-deps: the tests need these Debian packages: ${need[*]}" >&2
    echo "  sudo apt-get install -y ${need[*]}" >&2
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
