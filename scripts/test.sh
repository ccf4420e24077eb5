#!/usr/bin/env bash
# THE test command: installs/starts what the tests need (idempotent), runs the whole Maven build with its
# tests, then the ecosystem tests against the jar it built. Exit code: Maven's, else the ecosystem tests'.
# Extra arguments go to Maven (e.g. scripts/test.sh -pl namespaces -am).
#   SB_BUILD_DIR=target-x   build output folder (default: target)
#   SB_SKIP_SETUP=1         skip the setup scripts (they are idempotent, this only saves seconds)
#   SB_SKIP_ECOSYSTEM=1     skip the ecosystem tests (they also do not run when Maven arguments are given)
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
           \( -path "*/$build_dir/surefire-reports/TEST-*.xml" -o -path "*/$build_dir/failsafe-reports/TEST-*.xml" \) \
           -newer "$since" -print0 2>/dev/null)
rm -f "$since"

# The ecosystem tests (PM2, nginx, the JS client, the dashboard in Chromium) run against the jar Maven just built;
# only on a whole run (no extra Maven arguments).
eco_pass=0 eco_fail=0 eco_rc=0
jar="$SB_ROOT/server/app/$build_dir/switchboard.jar"
if [ "${SB_SKIP_ECOSYSTEM:-0}" != "1" ] && [ "$#" -eq 0 ]; then
  if [ -f "$jar" ]; then
    eco_log="$(mktemp -t switchboard-eco.XXXXXX.log)"
    log "ecosystem/test/run.sh $jar (full log $eco_log)"
    set +e
    bash "$SB_ROOT/ecosystem/test/run.sh" "$jar" 2>&1 | tee "$eco_log"
    eco_rc=${PIPESTATUS[0]}
    set -e
    eco_pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$eco_log" | tail -1)
    eco_fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$eco_log" | tail -1)
    eco_pass=${eco_pass:-0}; eco_fail=${eco_fail:-0}
    if [ "$eco_rc" != "0" ] && [ "$eco_fail" = "0" ]; then eco_fail=1; fi  # failed before any test ran
  else
    log "no $jar: the Maven build did not get as far as packaging; ecosystem tests not run"
    eco_rc=1
  fi
fi

grep -E '^\[(INFO|WARNING|ERROR)\] (switchboard|Switchboard|Reactor Summary)|SUCCESS \[|FAILURE \[|SKIPPED$' "$mvn_log" | sed 's/^\[[A-Z]*\] //' || true
echo "maven tests: $total run, $failures failed, $errors errors, $skipped skipped (exit code $rc)"
echo "ecosystem tests: $eco_pass passed, $eco_fail failed (exit code $eco_rc)"
echo "elapsed: $(( $(date +%s) - started )) s"
echo "$((total - failures - errors - skipped + eco_pass)) passed, $((failures + errors + eco_fail)) failed, $skipped skipped"
echo "=================================================================="
if [ "$rc" != "0" ]; then exit "$rc"; fi
exit "$eco_rc"
