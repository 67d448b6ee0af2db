#!/bin/sh
# The by-hand baseline for bench/orchestration.mjs: what a user would do without ccwave.
#
#   bench/baseline.sh REPO WORKTREE_ROOT CONCURRENCY TEST_COMMAND AGENT_COMMAND TASK_ID...
#
# 1. `git worktree add` one branch per task, forked from main;
# 2. run the agent in every worktree, CONCURRENCY at a time (`xargs -P`), with CCWAVE_TASK_ID set;
# 3. in the main checkout, `git merge --no-ff` each branch in order, then the test command;
#    a merge whose tests fail is undone (`git reset --hard HEAD~1`).
# Prints the phase times in ms as key=value pairs on one line.
set -eu
repo=$1 root=$2 jobs=$3 test_cmd=$4 agent=$5
shift 5
ms() { date +%s%3N; }

cd "$repo"
base=$(git rev-parse HEAD)
t0=$(ms)
for id in "$@"; do
  git worktree add -q -b "baseline/$id" "$root/$id" "$base"
done
t1=$(ms)
export BASELINE_ROOT="$root" BASELINE_AGENT="$agent"
printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh -c 'cd "$BASELINE_ROOT/$1" && CCWAVE_TASK_ID="$1" $BASELINE_AGENT' sh {}
t2=$(ms)
merged=0 failed=0 tests=0
for id in "$@"; do
  git merge -q --no-ff -m "Merge $id" "baseline/$id"
  tests=$((tests + 1))
  if sh -c "$test_cmd" >/dev/null 2>&1; then
    merged=$((merged + 1))
  else
    git reset -q --hard HEAD~1
    failed=$((failed + 1))
  fi
done
t3=$(ms)
echo "worktrees_ms=$((t1 - t0)) agents_ms=$((t2 - t1)) merges_ms=$((t3 - t2)) total_ms=$((t3 - t0)) merged=$merged failed=$failed tests=$tests"
