#!/usr/bin/env bash
# Installs everything the package needs on a Debian/Ubuntu machine that already has Swift:
# system libraries (OpenBLAS, gnuplot, gnuplot-iostream and Boost, zlib, libpng) and, for the
# chapters that read real data, the datasets (linked from ../shared/data when it is there).
#
#   Scripts/setup.sh            # system packages + data
#   Scripts/setup.sh --no-data  # system packages only
set -euo pipefail
cd "$(dirname "$0")/.."

want_data=1
for arg in "$@"; do
  case "$arg" in
    --no-data) want_data=0 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

packages=(libopenblas-dev gnuplot-nox libgnuplot-iostream-dev libboost-iostreams-dev
          libboost-system-dev libboost-filesystem-dev zlib1g-dev libpng-dev pkg-config)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "setup: system packages already installed"
fi

if [ "$want_data" = 1 ] && [ -x Scripts/fetch-data.sh ]; then
  Scripts/fetch-data.sh
fi
echo "setup: done"
