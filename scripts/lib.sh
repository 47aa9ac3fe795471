# shellcheck shell=bash
# Helpers shared by the scripts in this folder. Sourced, never executed.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# Build output lives outside the clone, so fresh clones (CI) reuse earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/chatsphere/target}"

# Tools installed with `cargo install` land here.
if [[ -d "${CARGO_HOME:-$HOME/.cargo}/bin" && ":$PATH:" != *":${CARGO_HOME:-$HOME/.cargo}/bin:"* ]]; then
    export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi

if [[ -t 2 && -z "${NO_COLOR:-}" ]]; then
    _c_info=$'\033[1;34m' _c_ok=$'\033[1;32m' _c_warn=$'\033[1;33m' _c_err=$'\033[1;31m' _c_off=$'\033[0m'
else
    _c_info='' _c_ok='' _c_warn='' _c_err='' _c_off=''
fi

log() { printf '%s==>%s %s\n' "$_c_info" "$_c_off" "$*" >&2; }
ok() { printf '%s ok%s %s\n' "$_c_ok" "$_c_off" "$*" >&2; }
warn() { printf '%swarning:%s %s\n' "$_c_warn" "$_c_off" "$*" >&2; }
die() {
    printf '%serror:%s %s\n' "$_c_err" "$_c_off" "$*" >&2
    exit 1
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "root rights are needed for: $* (run as root or install sudo)"
    fi
}

# need_apt PKG...: installs the packages that are missing, and nothing when all are present.
# `apt-get update` runs only when something has to be installed.
need_apt() {
    command -v dpkg-query >/dev/null 2>&1 ||
        die "this machine has no dpkg: the scripts support Debian 12 and Ubuntu 22.04+; install these packages by hand: $*"
    local installed missing=() pkg
    installed=" $(dpkg-query -W -f='${Package}:${db:Status-Status} ' "$@" 2>/dev/null || true)"
    for pkg in "$@"; do
        [[ "$installed" == *" $pkg:installed "* ]] || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The current time in whole seconds, and a duration printed as 1m05s.
now_s() { date +%s; }
fmt_duration() {
    local s=$1
    if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}
