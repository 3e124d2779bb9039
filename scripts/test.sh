#!/usr/bin/env bash
# What `npm test` (and so .ci/run) runs, from a clean clone on a fresh Debian machine with
# Node 20 and only the npm registry and apt reachable:
#   npm ci (when needed) -> find or install Chromium -> tsc -> eslint -> vitest -> vite build
#   -> playwright, stopping at the first failure, and closing with one line
#   "N passed, N failed" that sums the vitest and playwright tests.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RESULTS="$ROOT/test-results"
START=$(date +%s)

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nFAILED after %s: %s\n' "$(elapsed)" "$*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - START ))s"; }

# Sum tests from the JSON reports that exist; print "N passed, N failed" alone on a line.
# A Playwright run that failed without failing a test (web server, config, global setup)
# counts its errors as failures, so the line never reads "0 failed" for a failed run.
summary() {
  node - "$RESULTS/vitest.json" "$RESULTS/playwright.json" <<'EOF'
const fs = require('node:fs');
let passed = 0, failed = 0;
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return null; } };
const v = read(process.argv[2]);
if (v) { passed += v.numPassedTests ?? 0; failed += v.numFailedTests ?? 0; }
const p = read(process.argv[3]);
if (p && p.stats) { passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0); failed += p.stats.unexpected ?? 0; }
if (p && !(p.stats && p.stats.unexpected) && Array.isArray(p.errors)) failed += p.errors.length;
console.log(`${passed} passed, ${failed} failed`);
EOF
}

# The first free TCP port on 127.0.0.1 from $1 up (a dev server may already hold 4173).
free_port() {
  node -e '
    const net = require("node:net");
    const tryPort = (p) => { const s = net.createServer();
      s.once("error", () => tryPort(p + 1));
      s.listen(p, "127.0.0.1", () => s.close(() => console.log(p))); };
    tryPort(Number(process.argv[1]));' "$1"
}

# ---------------------------------------------------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund || die "npm ci (is package-lock.json in sync with package.json?)"
else
  say "npm dependencies are up to date (node_modules is newer than package-lock.json)"
fi

# ---------------------------------------------------------------------------------------
say "Finding Chromium"
is_exe() { [ -f "$1" ] && [ -x "$1" ]; }
find_chromium() { # prints the first Chromium found: /usr/bin/chromium, then chromium(-browser) on PATH
  local c p
  if is_exe /usr/bin/chromium; then echo /usr/bin/chromium; return 0; fi
  for c in chromium chromium-browser; do
    p=$(command -v "$c" 2>/dev/null) && is_exe "$p" && { echo "$p"; return 0; }
  done
  return 1
}
if [ -n "${CHROMIUM_PATH:-}" ]; then
  is_exe "$CHROMIUM_PATH" || die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file (unset it to look for /usr/bin/chromium)"
elif ! CHROMIUM_PATH=$(find_chromium); then
  echo "No Chromium found (CHROMIUM_PATH is unset; no /usr/bin/chromium; no chromium or chromium-browser on PATH)."
  if [ "$(id -u)" -eq 0 ]; then
    say "Installing Chromium (apt-get update && apt-get install -y chromium)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -q && apt-get install -y -q chromium; } || die "apt-get could not install chromium"
    CHROMIUM_PATH=$(find_chromium) || die "apt-get installed chromium, yet no Chromium executable was found"
  else
    die "Chromium is needed for the e2e tests, and only root can install it here. Either run as root:
    apt-get update && apt-get install -y chromium
or set CHROMIUM_PATH to a Chromium or Chrome executable, then run npm test again."
  fi
fi
export CHROMIUM_PATH
echo "Chromium: $CHROMIUM_PATH ($("$CHROMIUM_PATH" --version 2>/dev/null || echo 'version unknown'))"

# ---------------------------------------------------------------------------------------
rm -f "$RESULTS/vitest.json" "$RESULTS/playwright.json"
mkdir -p "$RESULTS"

say "Type-checking (tsc -p tsconfig.json --noEmit)"
npx tsc -p tsconfig.json --noEmit || die "type errors (above)"

say "Linting (eslint . and prettier --check .)"
npx eslint . || die "lint errors (above)"
npx prettier --check . --log-level warn || die "files not formatted (above): run npm run format"

say "Unit and property tests (vitest run)"
if ! npx vitest run --reporter=default --reporter=json --outputFile.json="$RESULTS/vitest.json"; then
  summary
  die "unit tests failed (above)"
fi

say "Building the site (vite build)"
npx vite build || die "vite build (above)"
# Test-only hooks (e2e/workerHold.ts) live in the tests, never in what is deployed.
if grep -rlq "__statelabWorkerHold" dist; then die "dist/ contains the e2e worker hook (__statelabWorkerHold)"; fi

E2E_PORT=$(free_port 4173)
export E2E_PORT
say "End-to-end tests in Chromium (playwright test, preview server on 127.0.0.1:$E2E_PORT)"
if ! npx playwright test; then
  summary
  die "e2e tests failed (above; traces in test-results/e2e)"
fi

say "All steps passed in $(elapsed)"
summary
