#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs `hindsight train` with the default preset
# (extra arguments are passed on, e.g. `scripts/run.sh --env FetchReach`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/build.sh"
build="${BUILD_DIR:-$root/build}"
exec "$build/hindsight" train "$@"
