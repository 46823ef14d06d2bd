#!/usr/bin/env bash
# Installs every Debian package hindsight needs to build, test, train, record and plot.
# Idempotent: packages already present are skipped; apt runs only when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libmujoco-dev libqhull-dev            # physics (MuJoCo 2.2.x); qhull fixes MuJoCo's CMake include path
  libtorch-dev libopenblas0-pthread     # learner; OpenBLAS replaces the slow reference BLAS
  libeigen3-dev nlohmann-json3-dev libyaml-cpp-dev
  libopenmpi-dev openmpi-bin            # multi-process / multi-node training
  libosmesa6-dev                        # headless rendering
  ffmpeg gnuplot-nox                    # video encoding, plots
  protobuf-compiler libprotobuf-dev     # TensorBoard event files (protoc generates the Event message)
  libcli11-dev                          # command-line parsing of the hindsight CLI (CLI11, header-only)
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  clang libclang-rt-14-dev              # libFuzzer targets (scripts/fuzz.sh)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
