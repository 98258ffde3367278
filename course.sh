#!/usr/bin/env bash
# The course's two jobs, each doing all set-up on a fresh machine:
#   ./course.sh            restore, build, execute every notebook, render the offline site
#   ./course.sh test       restore, build, run every test (kernels under four SIMD settings, notebooks, site in a browser)
# Options after the job name go to the runner (e.g. ./course.sh run --only 05).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
job=${1:-run}
[ $# -gt 0 ] && shift

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n== %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

need_chromium() {
  # The browser tests drive Debian's chromium (never a downloaded browser build).
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Debian chromium for the browser tests"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
  fi
}

setup() {
  step "plotly.js and KaTeX for offline charts and formulas (npm, pinned in lib/Charts/web/package-lock.json)"
  (cd lib/Charts/web && npm ci --no-audit --no-fund --loglevel=error)
  step "dotnet tool restore"
  dotnet tool restore >/dev/null
  step "dotnet restore + build (Release)"
  dotnet restore Course.sln --nologo -v q
  dotnet build Course.sln -c Release --no-restore --nologo -v q -clp:ErrorsOnly
}

run_course() {
  setup
  step "executing every notebook and rendering the site"
  dotnet run --project lib/Runner -c Release --no-build -- run "$@"
}

# dotnet test prints one summary line per test project; add them up into the closing line.
passed=0; failed=0; skipped=0; failures=()
run_tests() {
  local name=$1; shift
  local log; log=$(mktemp)
  step "$name"
  set +e
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  # Minimal verbosity ends with "Passed!  - Failed: 0, Passed: 9, Skipped: 0, …"; normal verbosity with a
  # "Total tests:" block of "Passed: 9" / "Failed: 0" / "Skipped: 0" lines. Either way, take the last summary.
  local counted=0 p f s
  p=$(grep -E '^(Passed|Failed)! +- |^ +Passed: +[0-9]+$' "$log" | tail -n 1 | grep -oE 'Passed: +[0-9]+' | grep -oE '[0-9]+' || true)
  f=$(grep -E '^(Passed|Failed)! +- |^ +Failed: +[0-9]+$' "$log" | tail -n 1 | grep -oE 'Failed: +[0-9]+' | grep -oE '[0-9]+' || true)
  s=$(grep -E '^(Passed|Failed)! +- |^ +Skipped: +[0-9]+$' "$log" | tail -n 1 | grep -oE 'Skipped: +[0-9]+' | grep -oE '[0-9]+' || true)
  if [ -n "$p$f" ]; then
    counted=1
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
  fi
  if [ "$rc" != 0 ]; then failures+=("$name"); [ "$counted" = 1 ] || failed=$((failed + 1)); fi
  rm -f "$log"
}

test_project() { dotnet test "$1" -c Release --no-build --nologo --logger "console;verbosity=normal" "${@:2}"; }

run_all_tests() {
  need_chromium
  setup
  # The kernels run under each SIMD setting; ATTENTION_EXPECTED_SIMD tells the tests which widths must be on,
  # so a switch that silently does nothing fails the run. The widest width is what this CPU offers
  # (the course's machines have AVX-512: 512); each switch narrows it.
  local widest=none
  if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then widest=512
  elif grep -qw avx2 /proc/cpuinfo 2>/dev/null; then widest=256
  elif grep -qwE 'sse4_2|asimd' /proc/cpuinfo 2>/dev/null; then widest=128; fi
  narrow() { case "$widest:$1" in none:*) echo none ;; 512:256|512:128|256:128) echo "$1" ;; *) echo "$widest" ;; esac; }
  kernel_tests() { run_tests "kernels, ${1:-default settings} (expect $2)" env $1 ATTENTION_EXPECTED_SIMD=$2 \
    dotnet test tests/Attention.Tests -c Release --no-build --nologo; }
  kernel_tests "" "$widest"
  kernel_tests "DOTNET_EnableAVX512=0" "$(narrow 256)"
  # One run also pretends to have 4 cores, so the kernel threads deal items into 4 shares (3 helpers) as on a bigger machine.
  kernel_tests "DOTNET_EnableAVX2=0 DOTNET_PROCESSOR_COUNT=4" "$(narrow 128)"
  kernel_tests "DOTNET_EnableHWIntrinsic=0" none
  run_tests "ONNX Runtime oracle" test_project tests/Attention.OracleTests
  run_tests "real model: all-MiniLM-L6-v2 on the library vs ONNX Runtime" test_project tests/Attention.MiniLM.Tests
  run_tests "charts and formatters" test_project tests/Course.Charts.Tests
  run_tests "exercise checks" test_project tests/Course.Exercises.Tests
  run_tests "notebooks, runner, site in a browser" test_project tests/Course.Runner.Tests
  if [ -f bench/Attention.Benchmarks/Attention.Benchmarks.csproj ] && grep -q -- '--quick' bench/Attention.Benchmarks/*.cs 2>/dev/null; then
    step "benchmark smoke run (--quick; asserts nothing about time)"
    dotnet run --project bench/Attention.Benchmarks -c Release --no-build -- --quick || failures+=("benchmark smoke run")
  fi
  echo
  [ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
  echo "Tests: $passed passed, $failed failed, $skipped skipped"
  [ ${#failures[@]} -eq 0 ]
}

case "$job" in
  run) run_course "$@" ;;
  test) run_all_tests "$@" ;;
  setup) setup ;;
  *) echo "usage: ./course.sh [run [runner options] | test | setup]" >&2; exit 2 ;;
esac
