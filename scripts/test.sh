#!/usr/bin/env bash
# THE test command: installs/starts what the tests need (idempotent), then runs the whole Maven build
# with its tests. Exit code = Maven's. Extra arguments go to Maven (e.g. scripts/test.sh -pl namespaces -am).
#   SB_BUILD_DIR=target-x   build output folder (default: target)
#   SB_SKIP_SETUP=1         skip the setup scripts (they are idempotent, this only saves seconds)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$SB_ROOT"

started=$(date +%s)
need_cmd java "install a JDK 17+"

if [ "${SB_SKIP_SETUP:-0}" != "1" ]; then
  "$SB_ROOT/scripts/setup-node.sh"
  # Every other scripts/setup-*.sh (setup-docker.sh, setup-pm2.sh, ...): each is idempotent and safe
  # to re-run while its service already runs.
  for s in "$SB_ROOT"/scripts/setup-*.sh; do
    [ -f "$s" ] || continue
    [ "$(basename "$s")" = "setup-node.sh" ] && continue
    log "scripts/$(basename "$s")"
    bash "$s"
  done
fi

build_dir="${SB_BUILD_DIR:-target}"
mvn_log="$(mktemp -t switchboard-mvn.XXXXXX.log)"
since="$(mktemp -t switchboard-mvn-start.XXXXXX)"  # reports newer than this belong to this run
log "./mvnw -B verify (build dir $build_dir, full log $mvn_log)"
set +e
./mvnw -B -ntp -Dsb.buildDir="$build_dir" -Dsurefire.rerunFailingTestsCount=0 verify "$@" 2>&1 | tee "$mvn_log"
rc=${PIPESTATUS[0]}
set -e

# Summary: per-module test counts from the surefire reports, and the failing tests.
echo
echo "==================== Switchboard test summary ===================="
total=0 failures=0 errors=0 skipped=0
while IFS= read -r -d '' report; do
  line=$(grep -m1 -o '<testsuite [^>]*>' "$report" || true)
  [ -n "$line" ] || continue
  t=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$line"); f=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$line")
  e=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$line"); s=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$line")
  total=$((total + ${t:-0})); failures=$((failures + ${f:-0})); errors=$((errors + ${e:-0})); skipped=$((skipped + ${s:-0}))
  if [ "${f:-0}" != "0" ] || [ "${e:-0}" != "0" ]; then
    echo "FAILED: $(basename "$report" .xml | sed 's/^TEST-//')"
  fi
done < <(find . \( -name node_modules -o -name .git \) -prune -o \
           -path "*/$build_dir/surefire-reports/TEST-*.xml" -newer "$since" -print0 2>/dev/null)
rm -f "$since"
grep -E '^\[(INFO|WARNING|ERROR)\] (switchboard|Switchboard|Reactor Summary)|SUCCESS \[|FAILURE \[|SKIPPED$' "$mvn_log" | sed 's/^\[[A-Z]*\] //' || true
echo "tests: $total run, $failures failed, $errors errors, $skipped skipped"
echo "elapsed: $(( $(date +%s) - started )) s, maven exit code: $rc"
echo "$((total - failures - errors - skipped)) passed, $((failures + errors)) failed, $skipped skipped"
echo "=================================================================="
exit "$rc"
