#!/usr/bin/env bash
# Runs pre-commit (from PyPI) on a throw-away git repository with the two
# hooks that need no Rust toolchain, with cargo kept off PATH:
#
# - the `repo: local` hook of docs/ci/README.md, whose
#   additional_dependencies entry is WHEEL (as a project would name a
#   release's wheel by URL): pre-commit installs it into its own venv;
# - this repository's `vigil-system` hook (.pre-commit-hooks.yaml, through
#   `pre-commit try-repo`), which runs the vigil in BIN_DIR.
#
# Each must fail the commit on the packaging fixture's `assert`.
#
#   packaging/check-pre-commit.sh WHEEL BIN_DIR
set -euo pipefail
cd "$(dirname "$0")/.."

pre_commit_version=4.7.0

if [ "$#" -ne 2 ]; then
    echo "usage: $0 WHEEL BIN_DIR" >&2
    exit 2
fi
wheel=$(realpath "$1")
bin_dir=$(realpath "$2")
here=$PWD

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$pre_commit_version"

# PATH without any folder that holds cargo or rustc: the hooks must not
# need them.
clean_path=
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
    [ -n "$d" ] && [ ! -e "$d/cargo" ] && [ ! -e "$d/rustc" ] && clean_path=${clean_path:+$clean_path:}$d
done

mkdir "$tmp/project"
cp tests/fixtures/packaging/insecure.py tests/fixtures/packaging/clean.py "$tmp/project/"
cat >"$tmp/project/.pre-commit-config.yaml" <<EOF
repos:
  - repo: local
    hooks:
      - id: vigil
        name: vigil
        entry: vigil review --force-exclude
        language: python
        types_or: [python, pyi]
        require_serial: true
        additional_dependencies:
          - "vigil-reviewer @ file://$wheel"
EOF
cd "$tmp/project"
git init --quiet
git add -A

# Runs pre-commit with the arguments given, with cargo off PATH and a
# pre-commit cache of its own; checks it fails on insecure.py's `eval` (a
# default rule; the `assert` is off by default).
expect_finding() {
    local label=$1 path=$2
    shift 2
    set +e
    env PATH="$path" PRE_COMMIT_HOME="$tmp/cache" "$tmp/venv/bin/pre-commit" "$@" >"$tmp/out.txt" 2>&1
    local status=$?
    set -e
    if [ "$status" -ne 1 ] || ! grep -q '^insecure.py:7:12: S307 ' "$tmp/out.txt" || grep -q '^clean.py:' "$tmp/out.txt"; then
        cat "$tmp/out.txt" >&2
        echo "pre-commit with $label: exit $status (want 1 and one finding in insecure.py)" >&2
        exit 1
    fi
    echo "pre-commit $pre_commit_version with $label: the commit is refused on insecure.py's eval, without cargo"
}

expect_finding "the local hook installing $(basename "$wheel")" "$clean_path" run --all-files
expect_finding "the vigil-system hook (vigil from $bin_dir)" "$bin_dir:$clean_path" try-repo "$here" vigil-system --all-files
