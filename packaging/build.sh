#!/usr/bin/env bash
# Builds vigil's Linux release artefacts on one x86_64 machine, with no
# machine, container or C cross-toolchain per target: maturin drives cargo,
# and zig (the `ziglang` wheel from PyPI) is the C compiler and the linker.
# zig links against glibc 2.17's symbol versions whatever glibc the build
# machine has, which is what makes a manylinux2014 wheel here, and it
# carries musl for the static binary. mimalloc (C, built by the `cc` crate)
# is compiled by the same zig.
#
#   packaging/build.sh [--out DIR] [KIND...]
#
# KIND (default manylinux-x86_64):
#   manylinux-x86_64   wheel tagged manylinux2014 (glibc 2.17 or newer), x86_64
#   manylinux-aarch64  the same for 64-bit Arm, cross-compiled
#   musllinux-x86_64   wheel for musl distributions (Alpine), and the static
#                      binary from it: DIR/vigil-VERSION-x86_64-unknown-linux-musl
#   all                the three
#
# DIR (default dist/) receives the wheels, the static binary and SHA256SUMS.
# Each artefact is checked before it is copied there: the wheel's platform
# tag (`auditwheel show`), the newest GLIBC symbol version its binary needs,
# static linking for musl, and packaging/smoke-test.sh on the binary where
# it can run here (natively; aarch64 under qemu-aarch64 with Debian's
# libc6-arm64-cross, else the script says it did not run it).
#
# Needs rustup (a target other than the host's is added with `rustup target
# add`), python3 with venv, and PyPI: maturin, ziglang and auditwheel are
# installed at pinned versions into target/packaging-venv, or into
# $VIGIL_PACKAGING_VENV.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned so that a release is reproducible; 1.16.0/0.17.1 are the versions
# this script was tested with.
maturin_version=1.16.0
ziglang_version=0.17.1
auditwheel_version=6.8.2
# manylinux2014 is glibc 2.17: nothing in a manylinux wheel may need more.
max_glibc=2.17

out=dist
kinds=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        --out) out=${2:?--out needs a folder}; shift 2 ;;
        --out=*) out=${1#--out=}; shift ;;
        all) kinds+=(manylinux-x86_64 manylinux-aarch64 musllinux-x86_64); shift ;;
        manylinux-x86_64 | manylinux-aarch64 | musllinux-x86_64) kinds+=("$1"); shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "packaging/build.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[ "${#kinds[@]}" -gt 0 ] || kinds=(manylinux-x86_64)

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

venv=${VIGIL_PACKAGING_VENV:-target/packaging-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    "maturin==$maturin_version" "ziglang==$ziglang_version" "auditwheel==$auditwheel_version"
# maturin finds zig as `python -m ziglang` with the first python on PATH.
PATH="$(realpath "$venv")/bin:$PATH"
export PATH

# Newest GLIBC_x.y symbol version that an ELF file asks for ("" when none).
# readelf reads any architecture's ELF, so this works on the aarch64 binary.
newest_glibc() {
    local syms
    syms=$(readelf -W --dyn-syms "$1")
    { grep -o 'GLIBC_[0-9][0-9.]*' <<<"$syms" || true; } | sed 's/GLIBC_//' | sort -uV | tail -n 1
}

# Runs packaging/smoke-test.sh on a binary built for ARCH, when this
# machine can run it.
run_smoke_test() {
    local arch=$1 bin=$2
    if [ "$arch" = "$(uname -m)" ]; then
        packaging/smoke-test.sh "$bin"
    elif [ "$arch" = aarch64 ] && command -v qemu-aarch64 >/dev/null 2>&1 \
        && [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]; then
        packaging/smoke-test.sh qemu-aarch64 -L /usr/aarch64-linux-gnu "$bin"
    else
        echo "not run here: no way to run an $arch binary (for aarch64: apt-get install qemu-user libc6-arm64-cross)"
    fi
}

built=()
for kind in "${kinds[@]}"; do
    case "$kind" in
        manylinux-x86_64) target=x86_64-unknown-linux-gnu; arch=x86_64; tag=manylinux_2_17_x86_64 ;;
        manylinux-aarch64) target=aarch64-unknown-linux-gnu; arch=aarch64; tag=manylinux_2_17_aarch64 ;;
        musllinux-x86_64) target=x86_64-unknown-linux-musl; arch=x86_64; tag=musllinux_1_2_x86_64 ;;
    esac
    echo "== $kind: maturin build --target $target (zig as C compiler and linker)"

    if ! rustup target list --installed | grep -qx "$target"; then
        rustup target add "$target" || {
            echo "packaging/build.sh: the Rust standard library for $target cannot be installed here ('rustup target add $target' failed)" >&2
            exit 1
        }
    fi

    compat=()
    case "$kind" in manylinux-*) compat=(--compatibility manylinux2014) ;; esac
    start=$SECONDS
    maturin build --release --locked --quiet --zig --target "$target" "${compat[@]}" --out "$work/$kind"
    wheels=("$work/$kind"/*.whl)
    [ "${#wheels[@]}" -eq 1 ] || { echo "packaging/build.sh: expected one wheel in $work/$kind" >&2; exit 1; }
    wheel=${wheels[0]}
    name=$(basename "$wheel")
    echo "built $name ($(du -k "$wheel" | cut -f1) KiB) in $((SECONDS - start)) s"

    # The file name is what pip matches against the machine: it must carry
    # the tag (manylinux wheels also carry the old alias, manylinux2014_*).
    case "$name" in
        *-py3-none-*"$tag"*.whl) ;;
        *) echo "packaging/build.sh: $name is not tagged $tag" >&2; exit 1 ;;
    esac
    # auditwheel reads the binary itself: the symbol versions and libraries
    # it needs must fit the tag the file name claims.
    # (Outputs are read into variables before grep: `grep -q` quitting early
    # must not fail the pipe under pipefail.)
    report=$(auditwheel show "$wheel" 2>&1)
    if ! tr -s ' \n' ' ' <<<"$report" | grep -q "following platform tag: \"$tag\""; then
        echo "$report" >&2
        echo "packaging/build.sh: auditwheel does not find $name consistent with $tag" >&2
        exit 1
    fi

    python3 -m zipfile -e "$wheel" "$work/$kind/unpacked"
    bin="$work/$kind/unpacked/vigil_reviewer-$version.data/scripts/vigil"
    chmod +x "$bin"
    glibc=$(newest_glibc "$bin")
    case "$kind" in
        manylinux-*)
            if [ -z "$glibc" ] || [ "$(printf '%s\n' "$glibc" "$max_glibc" | sort -V | tail -n 1)" != "$max_glibc" ]; then
                echo "packaging/build.sh: the binary in $name needs GLIBC_$glibc, newer than $max_glibc" >&2
                exit 1
            fi
            echo "newest glibc symbol version needed: GLIBC_$glibc (manylinux2014 allows $max_glibc)"
            ;;
        musllinux-*)
            # Static: no program interpreter and no shared library needed,
            # so the one file runs on any x86_64 Linux, glibc or musl.
            headers=$(readelf -l -d "$bin")
            if grep -q -e INTERP -e NEEDED <<<"$headers" || [ -n "$glibc" ]; then
                echo "$headers" >&2
                echo "packaging/build.sh: the binary in $name is not statically linked" >&2
                exit 1
            fi
            echo "statically linked: no interpreter, no shared libraries"
            ;;
    esac
    run_smoke_test "$arch" "$bin"

    cp "$wheel" "$out/"
    built+=("$name")
    if [ "$kind" = musllinux-x86_64 ]; then
        static="vigil-$version-x86_64-unknown-linux-musl"
        cp "$bin" "$out/$static"
        built+=("$static")
    fi
done

# SHA256SUMS covers every artefact of this version in DIR, so that runs for
# one kind at a time add up to one list.
(
    cd "$out"
    shopt -s nullglob
    artefacts=(vigil_reviewer-"$version"-*.whl vigil-"$version"-*)
    sha256sum "${artefacts[@]}" >SHA256SUMS
)
echo "== built into $out:"
(cd "$out" && ls -l "${built[@]}")
