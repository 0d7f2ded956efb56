#!/usr/bin/env bash
# Writes a screenshot of each dashboard page to docs/dashboard/ (the PNGs the README shows), from a real silo host
# and a real quick experiment: it runs the dashboard's browser tests with BRL_DASHBOARD_SCREENSHOTS set, which makes
# each page test save its page once its assertions hold.
# Usage: bash eng/dashboard-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "error: chromium is missing: apt-get install -y --no-install-recommends chromium" >&2; exit 2; }
dotnet build tests/BeneficialRL.Dashboard.Tests -c Release -nologo -clp:ErrorsOnly
out="$(pwd)/docs/dashboard"
mkdir -p "$out"
BRL_DASHBOARD_SCREENSHOTS="$out" dotnet test tests/BeneficialRL.Dashboard.Tests -c Release --no-build -nologo
ls -1 "$out"/*.png
