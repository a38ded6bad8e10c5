#!/usr/bin/env bash
# The check step of the adl GitHub Action; runs the same way on a laptop.
# Inputs (environment):
#   ADL_PATHS          paths to check, separated by spaces (default: .)
#   ADL_SARIF          where to write the SARIF report (default: adl.sarif)
#   ADL_DENY_WARNINGS  "true" to fail on warnings too (default: false)
# Writes the SARIF report (for code scanning), prints the findings as workflow
# annotations, and exits as `adl check` does: 0 clean, 1 findings, 2 usage.
set -uo pipefail
read -r -a paths <<< "${ADL_PATHS:-.}"
sarif="${ADL_SARIF:-adl.sarif}"
deny=()
if [ "${ADL_DENY_WARNINGS:-false}" = "true" ]; then
  deny=(--deny-warnings)
fi
adl check --format sarif "${deny[@]}" "${paths[@]}" > "$sarif"
status=$?
# The annotations show up on the pull request's changed lines.
adl check --format github "${deny[@]}" "${paths[@]}" || true
echo "adl check: exit $status; SARIF report in $sarif"
exit "$status"
