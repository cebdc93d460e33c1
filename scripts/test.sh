#!/usr/bin/env bash
# Sets up the machine, builds every configuration and runs every test tier:
#   native    GoogleTest unit tests + fuzz-corpus replays (g++)
#   asan      the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   wasm      the same test sources built with Emscripten, run under Node; the embind module's tests
#   fuzz      each libFuzzer target for a short bounded time (clang, ASan + UBSan); in the background at
#             nice 19 beside the tiers after it (LW_FUZZ_INLINE=1: in place), counted before the summary
#   interop   Node tests against real peers on loopback: nginx-rtmp, ffmpeg/ffprobe, the gateway with a
#             `ws` client standing in for the browser; the gateway suite again with the ASan+UBSan build
#   browser   headless Debian Chromium driven by npm playwright-core: the harness's self-tests, the pusher's
#             and the player's acceptance tests (fake camera/mic files -> page -> gateway -> nginx-rtmp ->
#             ffmpeg / our player / mpegts.js), the demo page, the ported page of docs/porting.md, and
#             tests/engines/capabilities.test.mjs (what Chromium gives the player and pusher, as README states)
#             and tests/engines/csp.test.mjs (the pages under a strict Content-Security-Policy)
#   firefox   tests/engines/ in Firefox ESR under Xvfb over WebDriver BiDi (npm puppeteer-core), twice: plain
#             (no sound device: AudioContext.resume() never settles) and with a mock audio context: the
#             player (rtmp:// live/RTC on both decode paths, HTTP-FLV, WS-FLV, nginx killed), the pusher
#             judged by ffprobe, the demo page, the ported page
#   webkit    the same in WebKitGTK (MiniBrowser through WebKitWebDriver under Xvfb, default feature flags),
#             and a check that notices when AudioData.copyTo stops crashing WebKitGTK's web process
#   package   npm pack -> a fresh Vite app (vite build, vite dev), a webpack 5 app and a plain module page, each playing a
#             real stream in headless Chromium; which wasm each side downloads
#   docs      types/*.d.ts against the runtime, tsc --strict over consumer files, docs/api.md up to date
# Ends with one line `N passed, N failed`. Exit status is non-zero when anything failed.
#
# Environment: LW_FUZZ_SECONDS (default 20) per fuzz target; LW_TIERS (default "native asan wasm fuzz
# interop browser firefox webkit package docs") to run a subset.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/env.sh

TIERS=${LW_TIERS:-native asan wasm fuzz interop browser firefox webkit package docs}
FUZZ_SECONDS=${LW_FUZZ_SECONDS:-20}
LOGS=$root/build/test-logs
mkdir -p "$LOGS"
passed=0
failed=0
reruns=0
summary=()
t0=$SECONDS

note() { printf '\n=== %s\n' "$*"; }
tally() {  # tally TIER PASSED FAILED
  passed=$((passed + $2)); failed=$((failed + $3))
  summary+=("$(printf '%-26s %4d passed, %d failed' "$1" "$2" "$3")")
}
# Runs a step whose failure counts as one failed test (builds, setup).
step() {
  local name=$1; shift
  local s=$SECONDS
  if "$@" >"$LOGS/$name.log" 2>&1; then
    printf '%s: ok (%ds)\n' "$name" $((SECONDS - s)); return 0
  fi
  printf '%s: FAILED (%ds); last lines of %s:\n' "$name" $((SECONDS - s)) "$LOGS/$name.log"
  tail -n 30 "$LOGS/$name.log"
  tally "$name" 0 1
  return 1
}
# gtest binary -> counts from its own summary lines.
run_gtest() {  # run_gtest TIER CMD...
  local tier=$1; shift
  local log="$LOGS/$tier.log"
  "$@" --gtest_brief=1 >"$log" 2>&1
  local rc=$?
  local p f
  p=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  f=$(grep -Eo '^\[  FAILED  \] [0-9]+ test' "$log" | grep -Eo '[0-9]+' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi  # crashed before its summary
  grep -E '^\[  FAILED  \]|Failure|ERROR|Sanitizer' "$log" | head -40
  tally "$tier" "$p" "$f"
}
# ctest over everything but the gtest binary (fuzz-corpus replays).
run_ctest() {  # run_ctest TIER BUILD_DIR
  local log="$LOGS/$1.log"
  (cd "$2" && ctest -E '^(unit|wasm_module|gateway_unit|codecs)$' --output-on-failure -j2) >"$log" 2>&1
  local total f
  total=$(grep -Eo 'tests failed out of [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  f=$(grep -Eo '[0-9]+ tests failed out of' "$log" | grep -Eo '^[0-9]+' | tail -1)
  total=${total:-0}; f=${f:-0}
  [ "$total" = 0 ] && grep -q 'No tests were found' "$log" && { tally "$1" 0 0; return; }
  [ "$f" != 0 ] && grep -E 'Failed|\*\*\*' "$log" | head -20
  tally "$1" $((total - f)) "$f"
}
# node:test files, one at a time with the TAP reporter, through scripts/node-tests.mjs -> counts from its
# final "# pass N" / "# fail N" lines. LW_NODE=node runs plain node instead of lw_node (playwright-core
# needs Node's fetch and Headers). LW_RERUNS=N (the timing tiers pass 2) reruns failed tests by name up to
# N more times; a test that passed only on a rerun is named here and counted in the summary line.
run_node_tests() {  # run_node_tests TIER FILES...
  local tier=$1; shift
  local log="$LOGS/$tier.log"
  [ $# -gt 0 ] || { tally "$tier" 0 0; return; }
  local flags=()
  [ "${LW_NODE:-lw_node}" = lw_node ] && flags=(--node-flag --no-experimental-fetch)
  node scripts/node-tests.mjs --log "$log" --reruns "${LW_RERUNS:-0}" "${flags[@]}" "$@" >"$log.out" 2>&1
  local rc=$? p f r
  p=$(grep -Eo '^# pass [0-9]+' "$log.out" | grep -Eo '[0-9]+$' | tail -1)
  f=$(grep -Eo '^# fail [0-9]+' "$log.out" | grep -Eo '[0-9]+$' | tail -1)
  r=$(grep -Eo '^# rerun-passed [0-9]+' "$log.out" | grep -Eo '[0-9]+$' | tail -1)
  p=${p:-0}; f=${f:-0}; r=${r:-0}
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  grep -E '^# .*(attempt [0-9]+ failed|passed on a rerun)' "$log.out"
  [ "$f" != 0 ] && head -80 "$log.failures"
  tally "$tier" "$p" "$f"
  if [ "$r" != 0 ]; then summary[-1]+=" ($r passed only on a rerun)"; reruns=$((reruns + r)); fi
}

# The fuzz tier: builds the libFuzzer targets, runs each for FUZZ_SECONDS; prints a line per target to
# $LOGS/fuzz-smoke.out and leaves "passed failed" in $LOGS/fuzz-smoke.counts.
fuzz_tier() {
  local p=0 f=0 bin name work
  : >"$LOGS/fuzz-smoke.out"
  if ! scripts/build.sh fuzz >"$LOGS/build-fuzz.log" 2>&1; then
    { echo "build-fuzz: FAILED; last lines of $LOGS/build-fuzz.log:"; tail -n 30 "$LOGS/build-fuzz.log"; } >>"$LOGS/fuzz-smoke.out"
    echo "0 1" >"$LOGS/fuzz-smoke.counts"; return
  fi
  for bin in build/fuzz/tests/*_fuzz; do
    name=$(basename "$bin")
    work=$(mktemp -d)
    [ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$work/"
    if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
         -artifact_prefix="$LOGS/$name-" "$work" >"$LOGS/$name.log" 2>&1; then
      p=$((p + 1)); printf '%s: %s\n' "$name" "$(grep -E '^Done [0-9]+ runs' "$LOGS/$name.log" | tail -1)" >>"$LOGS/fuzz-smoke.out"
    else
      f=$((f + 1)); { echo "$name: FAILED"; tail -n 40 "$LOGS/$name.log"; } >>"$LOGS/fuzz-smoke.out"
    fi
    rm -rf "$work"
  done
  echo "$p $f" >"$LOGS/fuzz-smoke.counts"
}
collect_fuzz() {
  local counts
  counts=$(cat "$LOGS/fuzz-smoke.counts" 2>/dev/null || echo "0 1")
  cat "$LOGS/fuzz-smoke.out" 2>/dev/null
  # shellcheck disable=SC2086
  tally fuzz-smoke $counts
}
fuzz_pid=

note "setup"
step setup scripts/setup.sh
note "test vectors (Debian ffmpeg)"
step vectors tests/vectors/make_vectors.sh build/vectors

timings=()
for tier in $TIERS; do
  tier_t0=$SECONDS
  case $tier in
    native|asan)
      note "$tier: build + unit tests + fuzz-corpus replays"
      step "build-$tier" scripts/build.sh "$tier" || continue
      run_gtest "$tier-unit" "build/$tier/tests/lw_unit_tests"
      [ -x "build/$tier/tests/lw_gateway_tests" ] && run_gtest "$tier-gateway-unit" "build/$tier/tests/lw_gateway_tests"
      [ -x "build/$tier/tests/lw_codecs_tests" ] && run_gtest "$tier-codecs" "build/$tier/tests/lw_codecs_tests"
      run_ctest "$tier-corpus" "build/$tier" ;;
    wasm)
      note "wasm: dependencies, build, unit tests under Node, module tests"
      step wasm-deps scripts/build-wasm-deps.sh --all || continue
      step build-wasm scripts/build.sh wasm || continue
      run_gtest wasm-unit lw_node build/wasm/tests/lw_unit_tests.js
      run_ctest wasm-corpus build/wasm
      run_node_tests wasm-module tests/wasm/*.test.mjs ;;
    fuzz)
      # CPU alone (no ports, no browser, no clock): it runs at the lowest priority beside the tiers that
      # wait on real-time streams (interop, browser...), which keep the CPU whenever they want it; its
      # lines and counts are collected before the summary. LW_FUZZ_INLINE=1 runs it in place.
      note "fuzz: ${FUZZ_SECONDS}s per libFuzzer target"
      if [ -n "${LW_FUZZ_INLINE:-}" ]; then
        fuzz_tier
        collect_fuzz
      else
        echo "(in the background at nice 19; results before the summary)"
        nice -n 19 bash -c "$(declare -f fuzz_tier); LOGS='$LOGS' FUZZ_SECONDS='$FUZZ_SECONDS' fuzz_tier" &
        fuzz_pid=$!
      fi ;;
    interop)
      note "interop: real nginx-rtmp, ffmpeg, ffprobe on loopback"
      [ -x build/native/tools/lw-rtmp-tool ] || step build-native scripts/build.sh native || continue
      LW_RERUNS=2 run_node_tests interop tests/interop/*.test.mjs
      # The gateway suite once more against the gateway built with ASan + UBSan (the asan tier built it):
      # a sanitizer report makes the gateway exit non-zero, which the suite checks at every stop.
      if [[ " $TIERS " == *" asan "* ]] && [ -x build/asan/gateway/livewasm-gateway ]; then
        export LW_BUILD_DIR=$root/build/asan
        LW_RERUNS=2 run_node_tests interop-gateway-asan tests/interop/gateway*.test.mjs
        unset LW_BUILD_DIR
      fi ;;
    browser)
      note "browser: headless Chromium (playwright-core), static files, gateway, nginx-rtmp, ffmpeg as judge"
      # The pusher tests need the gateway and the wasm module in dist/wasm; the harness self-tests do not,
      # so a failed build counts as a failure but the tests still run.
      [ -x build/native/gateway/livewasm-gateway ] || step build-native scripts/build.sh native
      [ -f dist/wasm/livewasm_pusher.mjs ] || step build-wasm scripts/build.sh wasm
      LW_ENGINE=chromium LW_NODE=node LW_RERUNS=2 run_node_tests browser tests/browser/*.test.mjs tests/engines/capabilities.test.mjs tests/engines/csp.test.mjs ;;
    firefox|webkit)
      note "$tier: tests/engines/ (player, pusher, demo and ported pages) in $tier under Xvfb"
      [ -x build/native/gateway/livewasm-gateway ] || step build-native scripts/build.sh native
      [ -f dist/wasm/livewasm_pusher.mjs ] || step build-wasm scripts/build.sh wasm
      if [ "$tier" = firefox ]; then configurations=(firefox firefox-mockaudio); else configurations=(webkit); fi
      for c in "${configurations[@]}"; do
        LW_ENGINE=$c LW_NODE=node LW_RERUNS=2 run_node_tests "$c" tests/engines/*.test.mjs
      done ;;
    package)
      note "package: npm pack -> a fresh Vite app (build and dev), a webpack 5 app and a plain module page, played in headless Chromium"
      [ -x build/native/gateway/livewasm-gateway ] || step build-native scripts/build.sh native
      [ -f dist/wasm/livewasm_pusher.mjs ] || step build-wasm scripts/build.sh wasm
      LW_ENGINE=chromium LW_NODE=node LW_RERUNS=2 run_node_tests package tests/package/*.test.mjs ;;
    docs)
      note "docs: the TypeScript declarations against the runtime, tsc --strict over consumer files, docs/api.md up to date"
      LW_NODE=node run_node_tests docs tests/docs/*.test.mjs ;;
  esac
  timings+=("$tier $((SECONDS - tier_t0))s")
done

if [ -n "$fuzz_pid" ]; then
  note "fuzz (ran in the background)"
  wait "$fuzz_pid"
  collect_fuzz
fi

note "summary ($((SECONDS - t0)) s; logs in build/test-logs)"
for line in "${summary[@]}"; do echo "$line"; done
echo "time per tier: ${timings[*]}$([ -n "$fuzz_pid" ] && echo " (fuzz in the background)")"
[ "$reruns" != 0 ] && echo "$reruns of the passed tests passed only on a rerun (timing on a shared machine; named above)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
