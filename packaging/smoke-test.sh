#!/usr/bin/env bash
# Runs a built or installed vigil the way a user would and checks what it
# says: `--version` names the version in Cargo.toml, a review of the
# packaging fixture finds its `assert` (exit 1) and the clean fixture gets
# the exact no-findings sentence.
#
#   packaging/smoke-test.sh COMMAND...
#
# COMMAND is the vigil to run, with any launcher in front of it, e.g.
# `target/.../vigil` or `qemu-aarch64 -L /usr/aarch64-linux-gnu ./vigil`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND..." >&2
    exit 2
fi

expected_version="vigil $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
version=$("$@" --version)
[ "$version" = "$expected_version" ] || {
    echo "smoke test: '$*' reports '$version', expected '$expected_version'" >&2; exit 1; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
"$@" review --isolated --select S101 tests/fixtures/packaging/insecure.py >"$out"
status=$?
set -e
# The review opens with its summary line, then a blank line, then the finding.
summary=$(sed -n 1p "$out")
first_finding=$(sed -n 3p "$out")
if [ "$status" -ne 1 ] \
    || [ "$summary" != 'Found 1 security defect in 1 file (0 high, 0 medium, 1 low severity); 1 file reviewed.' ] \
    || [ "$first_finding" != 'tests/fixtures/packaging/insecure.py:2:5: S101 `assert ctx.is_admin` is removed under `python -O`' ]; then
    echo "smoke test: '$*' on insecure.py: exit $status (want 1), summary: $summary, first finding: $first_finding" >&2
    exit 1
fi

clean=$("$@" review --isolated tests/fixtures/packaging/clean.py)
[ "$clean" = "No security defects are detected in the code" ] || {
    echo "smoke test: '$*' on clean.py said: $clean" >&2; exit 1; }

echo "smoke test passed: $version, a finding on insecure.py and a clean review of clean.py"
