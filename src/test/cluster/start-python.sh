#!/usr/bin/env bash
# start-python.sh - a Python virtual environment with Ray and CPU PyTorch that
# every user can run, for multi-node jobs (Ray clusters, torchrun) on the test
# Slurm: root and the ssh test user run $XM_PY_VENV/bin/{python,ray,torchrun}.
#
# The venv is built from the Debian python3 (in /usr/bin, so readable by all
# users; a pyenv or conda Python under /root would not be). Packages come from
# the package sources pip is configured with, looked up at run time:
#   - PIP_INDEX_URL, when set, is used as it is;
#   - else an index-url from pip's config (pip config list) is used as it is;
#   - else, when the first extra-index-url (PIP_EXTRA_INDEX_URL, else pip's
#     config) is a local file:// index, it becomes the index, so that pip does
#     not retry an unreachable public index for minutes before using it;
#   - else pip's default index (PyPI).
# find-links and constraints from pip's config apply as usual.
#
# Usage: start-python.sh [--force]   (--force: rebuild the venv from scratch)
# Environment (optional):
#   XM_PY_VENV      venv directory (default /opt/xmrun-testpy)
#   XM_PY_BASE      Python to build it from (default /usr/bin/python3)
#   XM_PY_PACKAGES  requirement specifiers (default "ray==2.58.0 torch==2.13.0
#                   numpy==2.4.6"; torch==2.13.0 also matches the local build
#                   2.13.0+cpu; without numpy every "import torch" warns)
# Idempotent: when the installed versions satisfy XM_PY_PACKAGES it only
# checks them (well under a second).
set -euo pipefail
XM_TAG=start-python
. "$(dirname "$0")/lib.sh"
FORCE=0
for a in "$@"; do
  case $a in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) die "unknown argument: $a" ;;
  esac
done
require_root
T0=$(now)
V=$XM_PY_VENV
BASE=$XM_PY_BASE
read -r -a REQS <<<"${XM_PY_PACKAGES:-ray==2.58.0 torch==2.13.0 numpy==2.4.6}"
[ ${#REQS[@]} -gt 0 ] || die "XM_PY_PACKAGES is empty"
LOG=$XM_DIR/python-install.log
umask 022   # files in the venv must be readable by every user

ensure_pkgs "${PKGS_PYTHON[@]}"
[ -x "$BASE" ] || die "no Python at $BASE (set XM_PY_BASE)"

mkdir -p "$XM_DIR"
chmod 0755 "$XM_DIR"
# two concurrent runs would install into the same directory
exec 9>"$XM_DIR/python.lock"
flock 9

# satisfied -> true if the venv's Python runs and every requirement is met by
# an installed distribution (metadata only: importing torch takes seconds)
satisfied() {
  [ -x "$V/bin/python" ] || return 1
  "$V/bin/python" - "${REQS[@]}" >/dev/null 2>&1 <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
from pip._vendor.packaging.requirements import Requirement  # pip is in every venv
for spec in sys.argv[1:]:
    req = Requirement(spec)
    try:
        ok = req.specifier.contains(version(req.name), prereleases=True)
    except PackageNotFoundError:
        ok = False
    if not ok:
        sys.exit(1)
PY
}

if [ $FORCE = 0 ] && satisfied; then
  log "$V has ${REQS[*]} ($(secs_since "$T0") s)"
  exit 0
fi

# ---- venv (recreated when forced, or when it does not run: base Python gone)
if [ $FORCE = 1 ] || ! "$V/bin/python" -c '' >/dev/null 2>&1; then
  log "creating venv $V from $BASE ($("$BASE" --version 2>&1))"
  "$BASE" -m venv --clear "$V" >"$LOG" 2>&1 || die "python3 -m venv $V failed, see $LOG"
fi
PY=$V/bin/python

# ---- package source, from pip's own configuration (see the header)
CFG=$("$PY" -m pip config list 2>/dev/null || true)
# pip_cfg KEY -> value of KEY from pip's config files ([install] before [global])
pip_cfg() {
  local s v
  for s in install global; do
    v=$(sed -n "s/^$s\\.$1='\\(.*\\)'\$/\\1/p" <<<"$CFG" | head -1)
    [ -z "$v" ] || { echo "$v"; return; }
  done
}
if [ -n "${PIP_INDEX_URL:-}" ]; then
  SRC="PIP_INDEX_URL=$PIP_INDEX_URL"
elif idx=$(pip_cfg index-url) && [ -n "$idx" ]; then
  SRC="index-url $idx (pip config)"
else
  read -r first _ <<<"${PIP_EXTRA_INDEX_URL:-$(pip_cfg extra-index-url)}" || true
  if [[ ${first:-} == file:* ]]; then
    export PIP_INDEX_URL=$first
    SRC="$first (first extra-index-url, used as the index)"
  else
    SRC="pip's default index${first:+ and extra index $first}"
  fi
fi
FL=${PIP_FIND_LINKS:-$(pip_cfg find-links)}
SRC="$SRC${FL:+, find-links $FL}"

# ---- install
log "installing ${REQS[*]} into $V from $SRC"
t=$(now)
if ! "$PY" -m pip install --disable-pip-version-check --no-input "${REQS[@]}" >>"$LOG" 2>&1; then
  tail -n 5 "$LOG" | sed 's/^/    /' >&2
  die "could not install ${REQS[*]} from $SRC (full log: $LOG).
  Most likely no package source here holds them; this needs one of:
    - network access to PyPI (pip's default index);
    - PIP_INDEX_URL=<a PyPI mirror or a local 'simple' index> that holds
      $("$PY" -c 'import sys; print("cp%d%d" % sys.version_info[:2])') Linux x86_64 wheels of these packages and their dependencies;
    - PIP_FIND_LINKS=<a directory of such wheels>.
  CPU-only torch builds are on https://download.pytorch.org/whl/cpu
  (PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu). Other versions:
  XM_PY_PACKAGES='ray==X torch==Y numpy==Z'."
fi
satisfied || die "pip finished, but the installed versions do not satisfy ${REQS[*]}: see $LOG"
log "installed in $(secs_since "$t") s: $("$PY" -m pip list --format=freeze 2>/dev/null | grep -iE '^(ray|torch|numpy)==' | paste -sd' ')"

# pip keeps the modes the wheels carry; make sure nothing is private
chmod -R a+rX "$V"
log "done ($(secs_since "$T0") s)"
