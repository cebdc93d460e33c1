#!/usr/bin/env bash
# Sets up the machine, builds every configuration and runs every test tier:
#   native    GoogleTest unit tests + fuzz-corpus replays (g++)
#   asan      the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   wasm      the same test sources built with Emscripten, run under Node; the embind module's tests
#   fuzz      each libFuzzer target for a short bounded time (clang, ASan + UBSan); built in place, run in the
#             background at nice 19 beside the tiers after it (LW_FUZZ_INLINE=1: in place), counted before the summary
#   interop   Node tests against real peers on loopback: nginx-rtmp, ffmpeg/ffprobe, the gateway with a
#             `ws` client standing in for the browser (the gateway suite again with the ASan+UBSan build:
#             in the asan tier, before the real-time lanes, on an idle machine)
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
# The build tiers (native, asan, wasm) run one after the other, each on every core (the unit tests in one
# GoogleTest shard per core); then the real-time tiers run in two lanes side by side: browser | interop,
# firefox, webkit, package, docs (see "lanes" below).
# Ends with one line `N passed, N failed`. Exit status is non-zero when anything failed.
#
# Environment: LW_FUZZ_SECONDS (default 20) per fuzz target; LW_TIERS (default "native asan wasm fuzz
# interop browser firefox webkit package docs") to run a subset; LW_LANES=1 runs every tier in TIERS order,
# one at a time; LW_GTEST_SHARDS (default: the number of cores) processes per GoogleTest binary.
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
# gtest binary -> counts from its own summary lines. The tests run in one shard per core (GoogleTest's
# GTEST_TOTAL_SHARDS: each process runs every Nth test), side by side: the ASan build's 450 tests take
# about two minutes in one process. No unit test shares a file or a port with another. Under Node (the
# wasm build) one process: Emscripten's getenv does not see the shell's environment.
run_gtest() {  # run_gtest TIER CMD...
  local tier=$1; shift
  local log="$LOGS/$tier.log" shards=${LW_GTEST_SHARDS:-$(nproc)} i pids=() rc=0
  # timeout runs programs, not shell functions.
  [ "$1" = lw_node ] && { shards=1; shift; set -- node --no-experimental-fetch "$@"; }
  for ((i = 0; i < shards; i++)); do
    # Bounded, as every test file is (scripts/node-tests.mjs): a hung shard fails the tier with its log.
    GTEST_TOTAL_SHARDS=$shards GTEST_SHARD_INDEX=$i "${fg_nice[@]}" timeout -k 10 "${LW_GTEST_TIMEOUT_S:-1200}" "$@" --gtest_brief=1 >"$log.$i" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || rc=1; done
  local p=0 f=0 n
  for ((i = 0; i < shards; i++)); do
    n=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$log.$i" | grep -Eo '[0-9]+$' | tail -1); p=$((p + ${n:-0}))
    n=$(grep -Eo '^\[  FAILED  \] [0-9]+ test' "$log.$i" | grep -Eo '[0-9]+' | tail -1); f=$((f + ${n:-0}))
    # A shard that crashed before its summary counts as a failure.
    grep -qE '^\[==========\] [0-9]+ tests? from .* ran' "$log.$i" || f=$((f + 1))
  done
  cat "$log".[0-9]* >"$log"; rm -f "$log".[0-9]*
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
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
  "${fg_nice[@]}" node scripts/node-tests.mjs --log "$log" --reruns "${LW_RERUNS:-0}" "${flags[@]}" "$@" >"$log.out" 2>&1
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

# The fuzz tier's runs (run_tier fuzz builds the libFuzzer targets first): each for FUZZ_SECONDS; prints a line per target to
# $LOGS/fuzz-smoke.out and leaves "passed failed" in $LOGS/fuzz-smoke.counts.
fuzz_tier() {
  local p=0 f=0 bin name work
  : >"$LOGS/fuzz-smoke.out"
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
BROWSER_FILES=(tests/browser/*.test.mjs tests/engines/capabilities.test.mjs tests/engines/csp.test.mjs)
claims=  # the browser files' claim folder while the lanes run (node-tests.mjs, LW_CLAIM_DIR)
asan_gateway_suite() {
  LW_BUILD_DIR=$root/build/asan LW_RERUNS=2 run_node_tests interop-gateway-asan tests/interop/gateway*.test.mjs
}
# Tiers in the background: background_tier NAME FUNCTION runs FUNCTION in a subshell with a summary of its
# own; collect_background NAME waits for it, prints its output and adds its counts. fg_nice: how the
# builds and tests in the foreground run (nice 10 while the ASan gateway suite runs beside them).
declare -A bg_pid=()
fg_nice=()
background_tier() {
  local name=$1; shift
  rm -f "$LOGS/$name.state"
  (
    summary=(); timings=(); passed=0; failed=0; reruns=0
    t0=$SECONDS
    "$@"
    timings+=("$name $((SECONDS - t0))s")
    {  # plain assignments: sourced inside collect_background, a `declare` would make them local there
      for x in "${summary[@]}"; do printf 'bg_summary+=(%q)\n' "$x"; done
      for x in "${timings[@]}"; do printf 'bg_timings+=(%q)\n' "$x"; done
      echo "bg_passed=$passed bg_failed=$failed bg_reruns=$reruns"
    } >"$LOGS/$name.state"
  ) >"$LOGS/$name.bg.out" 2>&1 &
  bg_pid[$name]=$!
}
collect_background() {
  local name=$1 bg_summary=() bg_timings=() bg_passed=0 bg_failed=0 bg_reruns=0
  [ -n "${bg_pid[$name]:-}" ] || return 0
  wait "${bg_pid[$name]}"
  unset "bg_pid[$name]"
  cat "$LOGS/$name.bg.out"
  if [ -f "$LOGS/$name.state" ]; then
    . "$LOGS/$name.state"
    summary+=("${bg_summary[@]}"); timings+=("${bg_timings[@]}")
    passed=$((passed + bg_passed)); failed=$((failed + bg_failed)); reruns=$((reruns + bg_reruns))
  else
    tally "$name (ended without its counts; see $LOGS/$name.bg.out)" 0 1
  fi
}

note "setup"
step setup scripts/setup.sh
note "test vectors (Debian ffmpeg)"
step vectors tests/vectors/make_vectors.sh build/vectors

# What the browser tiers need (the gateway, the tools, the shipped modules) when the build tiers did not run.
need_builds() {
  [ -x build/native/gateway/livewasm-gateway ] && [ -x build/native/tools/lw-rtmp-tool ] || step build-native scripts/build.sh native
  [ -f dist/wasm/livewasm_pusher.mjs ] || step build-wasm scripts/build.sh wasm
}
# One tier: build what it needs, run its tests, tally.
run_tier() {
  local tier=$1 configurations c
  case $tier in
    native|asan)
      note "$tier: build + unit tests + fuzz-corpus replays"
      step "build-$tier" scripts/build.sh "$tier" || return 0
      run_gtest "$tier-unit" "build/$tier/tests/lw_unit_tests"
      [ -x "build/$tier/tests/lw_gateway_tests" ] && run_gtest "$tier-gateway-unit" "build/$tier/tests/lw_gateway_tests"
      [ -x "build/$tier/tests/lw_codecs_tests" ] && run_gtest "$tier-codecs" "build/$tier/tests/lw_codecs_tests"
      run_ctest "$tier-corpus" "build/$tier"
      # The gateway suite once more against the gateway built with ASan + UBSan: a sanitizer report makes
      # the gateway exit non-zero, which the suite checks at every stop. Before the real-time lanes: beside
      # Chromium's lane (stop 28's clean-clone run, the CPU 100 % busy and 94-98 % of the time some task
      # waiting) the slower ASan gateway's neighbour checks failed every attempt (a 627 ms pause, a 500 ms
      # window with 1 tag, the neighbour's own queue dropping). In the background beside the wasm and fuzz
      # builds, which then run at nice 10 (so the suite's processes get a CPU when they wake): the suite
      # waits on the clock (stop 30: 4.5 min at 5-11 % CPU per file, 68 % for gateway_package).
      if [ "$tier" = asan ] && [[ " $TIERS " == *" interop "* ]] && [ -x build/asan/gateway/livewasm-gateway ]; then
        [ -x build/native/tools/lw-rtmp-tool ] || step build-native scripts/build.sh native
        note "interop-gateway-asan: the gateway suite against the ASan + UBSan gateway (in the background; results before the lanes)"
        background_tier interop-gateway-asan asan_gateway_suite
        fg_nice=(nice -n 10)
      fi ;;
    wasm)
      note "wasm: dependencies, build, unit tests under Node, module tests"
      step wasm-deps "${fg_nice[@]}" scripts/build-wasm-deps.sh --all || return 0
      step build-wasm "${fg_nice[@]}" scripts/build.sh wasm || return 0
      run_gtest wasm-unit lw_node build/wasm/tests/lw_unit_tests.js
      run_ctest wasm-corpus build/wasm
      run_node_tests wasm-module tests/wasm/*.test.mjs ;;
    fuzz)
      # CPU alone (no ports, no browser, no clock): it runs at the lowest priority beside the tiers that
      # wait on real-time streams (interop, browser...), which keep the CPU whenever they want it; its
      # lines and counts are collected before the summary. LW_FUZZ_INLINE=1 runs it in place.
      note "fuzz: ${FUZZ_SECONDS}s per libFuzzer target"
      # The build in place (ccache makes it short after the first run): in the background it took the CPU
      # the real-time lanes wait for.
      step build-fuzz "${fg_nice[@]}" scripts/build.sh fuzz || return 0
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
      [ -x build/native/tools/lw-rtmp-tool ] || step build-native scripts/build.sh native || return 0
      LW_RERUNS=2 run_node_tests interop tests/interop/*.test.mjs ;;
      # (the ASan gateway's pass of the gateway suite runs in the asan tier)
    browser)
      note "browser: headless Chromium (playwright-core), static files, gateway, nginx-rtmp, ffmpeg as judge"
      # The pusher tests need the gateway and the wasm module in dist/wasm; the harness self-tests do not,
      # so a failed build counts as a failure but the tests still run.
      need_builds
      LW_CLAIM_DIR=$claims LW_ENGINE=chromium LW_NODE=node LW_RERUNS=2 run_node_tests browser "${BROWSER_FILES[@]}" ;;
    browser-lane-b)
      # The other lane, its own tiers done, takes Chromium's browser files that are left (LW_CLAIM_DIR:
      # whichever lane claims a file first runs it), so the lanes end together.
      note "browser-lane-b: what is left of Chromium's browser files, beside the browser lane"
      LW_CLAIM_DIR=$claims LW_ENGINE=chromium LW_NODE=node LW_RERUNS=2 run_node_tests browser-lane-b "${BROWSER_FILES[@]}" ;;
    firefox|webkit)
      note "$tier: tests/engines/ (player, pusher, demo and ported pages) in $tier under Xvfb"
      need_builds
      if [ "$tier" = firefox ]; then configurations=(firefox firefox-mockaudio); else configurations=(webkit); fi
      for c in "${configurations[@]}"; do
        LW_ENGINE=$c LW_NODE=node LW_RERUNS=2 run_node_tests "$c" tests/engines/*.test.mjs
      done ;;
    package)
      note "package: npm pack -> a fresh Vite app (build and dev), a webpack 5 app and a plain module page, played in headless Chromium"
      need_builds
      LW_ENGINE=chromium LW_NODE=node LW_RERUNS=2 run_node_tests package tests/package/*.test.mjs ;;
    docs)
      note "docs: the TypeScript declarations against the runtime, tsc --strict over consumer files, docs/api.md up to date"
      LW_NODE=node run_node_tests docs tests/docs/*.test.mjs ;;
  esac
}

# The tiers that judge real-time streams (interop, browser, firefox, webkit, package) mostly wait on the
# clock (one attempt of pusher_video_codec alone: the 2 cores 37 % busy). They share no port, display, profile or folder
# (every server takes a free port, Xvfb a free display, each browser a fresh profile), so they run in two
# lanes side by side: Chromium's browser tier in one, the other engines, interop, package and docs in the
# other (LW_LANES=1: one after the other, in TIERS order). The build tiers before them use every core and
# run alone. A lane's output is printed when it ends. Not in the other lane: Chromium's pusher files, which
# encode in wasm: tried in stop 27, beside the player files they kept the CPU 100 % busy and pusher_push,
# pusher_context, harness and gateway_reconnect_request failed attempts.
timings=()
timed_tier() {
  local t0=$SECONDS
  run_tier "$1"
  timings+=("$1 $((SECONDS - t0))s")
}
lane_b=()
if [ "${LW_LANES:-2}" != 1 ] && [[ " $TIERS " == *" browser "* ]]; then
  for t in $TIERS; do [[ " interop firefox webkit package docs " == *" $t "* ]] && lane_b+=("$t"); done
fi
for tier in $TIERS; do
  [[ " ${lane_b[*]} " == *" $tier "* ]] && continue
  # The real-time tiers start once the ASan gateway suite (beside the builds) has ended; from there on
  # nothing runs niced.
  [[ " native asan wasm fuzz " == *" $tier "* ]] || { collect_background interop-gateway-asan; fg_nice=(); }
  if [ "$tier" != browser ] || [ ${#lane_b[@]} = 0 ]; then timed_tier "$tier"; continue; fi
  note "lanes: browser | ${lane_b[*]} (side by side; the second lane's output follows when both end)"
  need_builds
  # Files marked `lw-runner: alone in <engine>` run while the other lane waits (scripts/lane_lock.mjs).
  export LW_LANE_LOCK=$LOGS/lanes.lock
  claims=$LOGS/claims
  rm -rf "$claims"
  lane_b_tiers() { for t in "${lane_b[@]}" browser-lane-b; do timed_tier "$t"; done; }
  background_tier lane-b lane_b_tiers
  timed_tier browser
  collect_background lane-b
done
collect_background interop-gateway-asan  # when only build tiers ran

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
