#!/usr/bin/env bash
# Runs every test project of BeneficialRL on a fresh Debian 12 machine and prints one totals line:
#   N passed, N failed, N skipped
# It installs what the tests start for real: Azurite (npm, into .tools/) and Debian's chromium (the dashboard's
# browser tests drive it through Playwright; Playwright's own browser download is not reachable).
# Usage: bash eng/test.sh [extra dotnet test arguments]
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

command -v dotnet >/dev/null || die "the .NET SDK is not on PATH: install .NET 10 (https://dot.net) and run again."
command -v node >/dev/null && command -v npm >/dev/null || die "Node.js and npm are needed for Azurite: 'apt-get install nodejs npm' and run again."

# Azurite, pinned, in a project-local folder (the same one the AppHost uses).
azurite_version=$(sed -n 's/.*AzuriteVersion = "\(.*\)".*/\1/p' src/BeneficialRL.LocalInfrastructure/Azurite/AzuriteInstaller.cs 2>/dev/null)
azurite_version=${azurite_version:-3.37.0}
if [ ! -f .tools/azurite/node_modules/azurite/package.json ] ||
   ! grep -q "\"version\": \"$azurite_version\"" .tools/azurite/node_modules/azurite/package.json; then
  say "installing azurite@$azurite_version into .tools/azurite"
  mkdir -p .tools/azurite
  npm install --prefix .tools/azurite --no-audit --no-fund --loglevel=error "azurite@$azurite_version" >/dev/null ||
    die "npm could not install azurite@$azurite_version: check the npm registry is reachable and run again."
fi

# Debian's chromium for the dashboard's browser tests (Playwright is pointed at /usr/bin/chromium).
if ! command -v chromium >/dev/null; then
  say "installing chromium (apt)"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  { $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq --no-install-recommends chromium >/dev/null; } ||
    die "apt-get could not install chromium, which the dashboard tests need: run 'apt-get install -y --no-install-recommends chromium' as root and run again."
fi

say "building"
dotnet build BeneficialRL.sln -c Release -nologo -clp:ErrorsOnly || die "the build failed (see above)."

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
passed=0; failed=0; skipped=0; crashed=()
for project in $(find tests -name '*.Tests.csproj' | sort); do
  name=$(basename "$project" .csproj)
  say "testing $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@"
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then crashed+=("$name"); continue; fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get total); x=$(get executed)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
  skipped=$((skipped + ${t:-0} - ${x:-0}))
done

for c in "${crashed[@]}"; do echo "error: $c produced no results (crashed or did not build)"; failed=$((failed + 1)); done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
