# A build step cached in a folder, shared by the sim/ build scripts that source it (sim/systemc/build.sh,
# sim/dramcore/build.sh). The caller sets BUILD_ROOT (where folders and locks live) and CACHE_LABEL (its name in
# messages) and defines die MESSAGE (print and exit); the output folder's name carries the hash of its inputs.

# Runs "$2..." into a fresh scratch folder and moves it to $1 when it succeeds; a no-op when $1 is complete.
# Concurrent callers (parallel tests) wait on a lock and reuse the build.
cached_build() {
  local out=$1; shift
  local name
  name=$(basename "$out")
  [[ -f $out/.complete ]] && return 0
  mkdir -p "$BUILD_ROOT"
  exec 9>"$BUILD_ROOT/.lock-$name"
  flock 9
  if [[ -f $out/.complete ]]; then
    flock -u 9
    return 0
  fi
  local tmp
  tmp=$(mktemp -d "$BUILD_ROOT/.tmp-$name-XXXXXX")
  chmod 755 "$tmp"
  local start_ns elapsed_ms
  start_ns=$(date +%s%N)
  echo "$CACHE_LABEL: building $name (log: $out/build.log)" >&2
  # A subshell outside any if/||, so that set -e stops the step at its first failing command.
  local rc=0
  set +e
  (set -e; "$@" "$tmp") > "$tmp/build.log" 2>&1
  rc=$?
  set -e
  if [[ $rc != 0 ]]; then
    tail -n 40 "$tmp/build.log" >&2
    cp "$tmp/build.log" "$BUILD_ROOT/$name.failed.log"
    rm -rf "$tmp"
    flock -u 9
    die "build of $name failed (full log: $BUILD_ROOT/$name.failed.log)"
  fi
  elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  printf '{\n  "name": "%s",\n  "buildSeconds": %d.%03d\n}\n' "$name" $((elapsed_ms / 1000)) $((elapsed_ms % 1000)) > "$tmp/build.json"
  touch "$tmp/.complete"
  rm -rf "$out"
  mv "$tmp" "$out"
  flock -u 9
  echo "$CACHE_LABEL: built $name in $((elapsed_ms / 1000)).$(printf %03d $((elapsed_ms % 1000)))s" >&2
}
