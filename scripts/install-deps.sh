#!/usr/bin/env bash
# Installs what synack needs to build, test and demo on Debian 12, asking apt-get only for what is missing.
# Idempotent: a second run installs nothing and does not touch the network.
set -euo pipefail

packages=(
    # build
    cmake ninja-build g++-12 clang-14 libclang-rt-14-dev pkg-config
    # libraries
    libpcap-dev libfmt-dev libcli11-dev libsodium-dev libgtest-dev libgmock-dev libbenchmark-dev
    # oracles and test peers
    tcpdump iproute2 nftables netcat-openbsd curl python3 iputils-ping
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    sudo=sudo
else
    sudo=
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
