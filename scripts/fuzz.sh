#!/usr/bin/env bash
# Builds the libFuzzer executables in fuzz/ and runs each for a bounded time (fuzz/README.md).
#
#   scripts/fuzz.sh [seconds-per-fuzzer] [fuzzer ...]
#
# Fuzzers: verdict, mcqa, providers (all when none is named). Runs them one after another,
# never in parallel. Exits non-zero when any fuzzer finds a crash, a timeout or a leak;
# the input that triggered it is in fuzz/artifacts/<name>/.
set -euo pipefail

seconds="${1:-60}"
shift || true
fuzzers=("$@")
[ ${#fuzzers[@]} -gt 0 ] || fuzzers=(verdict mcqa providers)

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swiftc="${SWIFTC:-swiftc}"
build=".build/fuzz"
mkdir -p "$build"
# lld: gold warns about every ASan helper symbol.
flags=(-sanitize=fuzzer,address -parse-as-library -O -swift-version 6 -g -use-ld=lld)

shared_sources=(
    Sources/Shared/JSON/JSONValue.swift
    Sources/Shared/HTTP/HTTPMessage.swift
    Sources/Shared/Wire/JobKind.swift
    Sources/Shared/Sweep/SweepDefinition.swift
)

build_fuzzer() {
    local name="$1"
    case "$name" in
    verdict)
        "$swiftc" "${flags[@]}" -module-name FuzzVerdict -o "$build/verdict" fuzz/VerdictFuzzer.swift \
            Sources/Shared/Protocol/VerdictParser.swift Sources/Shared/Protocol/VerdictVocabulary.swift \
            Sources/Shared/Protocol/JudgeLine.swift Sources/Shared/Protocol/ParsedVerdict.swift \
            Sources/Shared/Wire/JobKind.swift
        ;;
    mcqa)
        "$swiftc" "${flags[@]}" -module-name FuzzMCQA -o "$build/mcqa" fuzz/MCQAFuzzer.swift \
            Sources/Shared/Protocol/MCQAParser.swift Sources/Shared/Protocol/MCQAText.swift \
            Sources/Shared/Protocol/MCQAOptions.swift
        ;;
    providers)
        # The Worker files `import Shared`, so the few Shared files they need become a module
        # of that name, instrumented like the rest.
        local shared="$build/shared"
        mkdir -p "$shared"
        "$swiftc" "${flags[@]}" -module-name Shared -emit-module -emit-module-path "$shared/Shared.swiftmodule" \
            -emit-library -static -o "$shared/libShared.a" "${shared_sources[@]}"
        "$swiftc" "${flags[@]}" -module-name FuzzProviders -o "$build/providers" -I "$shared" \
            fuzz/ProvidersFuzzer.swift Sources/Worker/Worker.swift Sources/Worker/Providers/*.swift \
            Sources/Worker/Retry/*.swift "$shared/libShared.a"
        ;;
    *)
        echo "unknown fuzzer: $name" >&2
        exit 2
        ;;
    esac
}

status=0
for name in "${fuzzers[@]}"; do
    echo "== building $name"
    build_fuzzer "$name"
done
for name in "${fuzzers[@]}"; do
    grown="fuzz/grown/$name"
    artifacts="fuzz/artifacts/$name"
    mkdir -p "$grown" "$artifacts"
    echo "== fuzzing $name for ${seconds}s"
    # New inputs go to the first (gitignored) folder; the committed seeds are only read.
    # ASan's leak check is off: the Swift runtime's caches look like leaks to it.
    log="fuzz/artifacts/$name.log"
    set +e
    # The Swift runtime's own crash backtracer would fight ASan over the trap and hang; libFuzzer
    # reports the crash and writes its input instead.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" "$build/$name" \
        -max_total_time="$seconds" -max_len=65536 -timeout=5 -rss_limit_mb=4096 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 \
        "$grown" "fuzz/corpus/$name" >"$log" 2>&1
    rc=$?
    set -e
    # The full log is long (one line per new input); the end has the verdict and the figures.
    grep -E '^INFO: seed corpus|^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" || true
    grep -E 'ERROR|SUMMARY|Test unit written|^stat::' "$log" || true
    if [ "$rc" != 0 ]; then
        echo "!! $name failed (exit $rc); see $log" >&2
        status=1
    fi
done
exit "$status"
