#!/usr/bin/env bash
# Takes the README's screenshots of the Aspire dashboard from a running stack: starts the AppHost with the `quick`
# experiment, waits for its report, photographs the dashboard's resources, structured logs, traces and the
# BeneficialRL meter with Debian's chromium (headless, driven by playwright-core), then stops the stack with SIGTERM.
# Writes docs/aspire/*.png. Installs chromium (apt) and playwright-core (npm, pinned, into eng/screenshots/node_modules).
# Usage: bash eng/aspire-dashboard-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

if ! command -v chromium >/dev/null; then
  say "installing Debian's chromium"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium >/dev/null; } ||
    die "apt-get could not install chromium (run as root, with Debian's package registry reachable)."
fi
[ -d eng/screenshots/node_modules/playwright-core ] ||
  npm ci --prefix eng/screenshots --no-audit --no-fund --loglevel=error >/dev/null ||
  die "npm could not install playwright-core (see eng/screenshots/package.json)."

say "building"
dotnet build AppHost -c Release -nologo -clp:ErrorsOnly >/dev/null || die "the build failed."

work=$(mktemp -d -t beneficialrl-screenshots-XXXXXX)
log="$work/apphost.log"
dotnet AppHost/bin/Release/net10.0/BeneficialRL.AppHost.dll --experiment quick --data-dir "$work/data" >"$log" 2>&1 &
apphost=$!
stop() { kill -TERM "$apphost" 2>/dev/null && wait "$apphost" 2>/dev/null; rm -rf "$work"; }
trap stop EXIT

say "running the quick experiment (a few minutes); AppHost output in $log"
for _ in $(seq 1 1200); do
  grep -q "report saved to" "$log" && break
  kill -0 "$apphost" 2>/dev/null || { tail -n 30 "$log"; die "the AppHost exited early."; }
  sleep 1
done
grep -q "report saved to" "$log" || die "the quick experiment did not finish within 20 minutes (see $log)."
login=$(grep -o 'http://localhost:[0-9]*/login?t=[^ │]*' "$log" | tail -n 1)
[ -n "$login" ] || die "the AppHost printed no dashboard login URL."

say "photographing the Aspire dashboard"
node eng/screenshots/aspire-dashboard.mjs "$login" "$root/docs/aspire"
