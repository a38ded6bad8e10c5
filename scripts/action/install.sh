#!/usr/bin/env bash
# Installs adl from the action's own checkout unless a cached binary is there.
# Inputs (environment): ADL_SOURCE, the checkout (the action's path).
set -euo pipefail
if command -v adl >/dev/null 2>&1; then
  echo "adl $(adl --version | cut -d' ' -f2) (cached)"
  exit 0
fi
cargo install --locked --path "${ADL_SOURCE:?the action's checkout}/crates/adl"
adl --version
