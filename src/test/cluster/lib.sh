# lib.sh - helpers shared by the test-cluster scripts. Sourced, never run.
#
# Every script that sources this sets XM_TAG (log prefix) first.
# Environment (all optional):
#   XM_TESTCLUSTER_DIR  state directory (default /tmp/xmrun-testcluster)
#   XM_SSH_USER         login user for sshd (default xmtest)
#   XM_SSH_PORT         sshd port (default 2222)
#   XM_SSH_JUMP_PORT    jump-host sshd port (default 2223)
#   XM_SSH_OTP_PORT     two-factor sshd port (default 2224)
#   XM_SSH_OTP_USER     login user of the two-factor sshd (default xmotp)
#   XM_NO_INSTALL=1     never call apt-get; fail if a package is missing
#   XM_PY_VENV          venv with Ray and PyTorch (default /opt/xmrun-testpy)
#   XM_PY_BASE          Python the venv is built from (default /usr/bin/python3)

XM_DIR=${XM_TESTCLUSTER_DIR:-/tmp/xmrun-testcluster}
XM_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034
XM_CONF=$XM_HERE/conf
XM_SSH_USER=${XM_SSH_USER:-xmtest}
XM_SSH_PORT=${XM_SSH_PORT:-2222}
XM_SSH_JUMP_PORT=${XM_SSH_JUMP_PORT:-2223}
XM_SSH_OTP_PORT=${XM_SSH_OTP_PORT:-2224}
XM_SSH_OTP_USER=${XM_SSH_OTP_USER:-xmotp}
# pam_oath accepts a code from this many 30 s steps before or after the
# server's clock (pam_oath(8) "window="); otp-code.sh stays inside it
# shellcheck disable=SC2034
XM_OTP_WINDOW=10
# shellcheck disable=SC2034
XM_DB_PORT=3307
# the second Slurm cluster (start-slurm-b.sh): slurmctld and its two slurmd
# shellcheck disable=SC2034
XM_SLURM_B_CTLD_PORT=6917
# shellcheck disable=SC2034
XM_SLURM_B_B1_PORT=6918
# shellcheck disable=SC2034
XM_SLURM_B_B2_PORT=6919
# shellcheck disable=SC2034
XM_PY_VENV=${XM_PY_VENV:-/opt/xmrun-testpy}
# shellcheck disable=SC2034
XM_PY_BASE=${XM_PY_BASE:-/usr/bin/python3}

# shellcheck disable=SC2034  # used by the scripts that source this file
PKGS_SSHD=(openssh-server openssh-client iproute2)
# shellcheck disable=SC2034
PKGS_SLURM=(munge slurm-wlm slurmctld slurmd slurm-client slurmdbd mariadb-server mariadb-client)
# two-factor sshd: PAM module for TOTP codes, oathtool to compute them
# shellcheck disable=SC2034
PKGS_OTP=(libpam-oath oathtool)
# shellcheck disable=SC2034
PKGS_SGE=(gridengine-master gridengine-exec gridengine-client)
# podman (+ runc: crun fails here), enroot (build: gcc...makeself; run: the rest), pyxis
# (libslurm-dev), charliecloud; busybox-static and squashfs-tools make the test images
# shellcheck disable=SC2034
PKGS_CONTAINERS=(podman runc conmon uidmap slirp4netns catatonit fuse-overlayfs
  gcc make libc6-dev libbsd-dev makeself linux-libc-dev curl gawk jq parallel zstd pigz
  bsdmainutils libcap2-bin squashfs-tools squashfuse libslurm-dev charliecloud-runtime busybox-static)
# shellcheck disable=SC2034
PKGS_PYTHON=(python3 python3-venv)
# tmux: specs drive xmrun on a real terminal (passphrase and one-time code prompts, init's questions);
# zsh: the completion spec sources `xmrun completion zsh` in a real zsh
# shellcheck disable=SC2034
PKGS_TOOLS=(tmux zsh)
# the dashboard spec drives `xmrun ui` in a real headless browser (Selenium talks to chromedriver)
# shellcheck disable=SC2034
PKGS_BROWSER=(chromium chromium-driver)

log() { echo "[${XM_TAG:-cluster}] $*" >&2; }
die() { echo "[${XM_TAG:-cluster}] ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
# secs_since T0 -> elapsed seconds with one decimal
secs_since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

require_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }

# wait_for SECONDS CMD... -> poll CMD every 0.1 s until it succeeds
wait_for() {
  local t=$1; shift
  local end=$(( $(date +%s) + t ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.1
  done
}

# running PID -> true if PID exists and is not a zombie. The init process
# here reaps orphans lazily, so double-forked daemons linger as <defunct>.
running() {
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] &&
    [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# alive PIDFILE COMM -> true if the pid in PIDFILE is a live process named COMM
# (the name check guards against a stale file whose pid was reused)
alive() {
  local p
  [ -s "$1" ] || return 1
  p=$(cat "$1" 2>/dev/null) || return 1
  running "$p" && grep -qx "$2" "/proc/$p/comm" 2>/dev/null
}

# stop_pidfile PIDFILE COMM [SECONDS] -> TERM the pid from PIDFILE (only if it
# is a live COMM), wait, then KILL. Never looks processes up by name.
stop_pidfile() {
  local pf=$1 name=$2 t=${3:-15} p i
  if alive "$pf" "$name"; then
    p=$(cat "$pf")
    log "stopping $name ($p)"
    kill -TERM "$p" 2>/dev/null || true
    for ((i = 0; i < t * 10; i++)); do running "$p" || break; sleep 0.1; done
    if running "$p"; then
      log "$name ($p) ignored TERM, sending KILL"
      kill -KILL "$p" 2>/dev/null || true
    fi
  fi
  rm -f "$pf"
}

# port_owner PORT -> prints the listener on 127.0.0.1/any:PORT, empty if free
port_owner() { ss -Hltnp "sport = :$1" 2>/dev/null | sed 's/.*users://'; }
# need_free_port PORT WHAT -> die with a clear message if something listens there
need_free_port() {
  local o; o=$(port_owner "$1")
  [ -z "$o" ] || die "port $1 (for $2) already in use by another process: $o"
}

# missing_pkgs PKG... -> prints the packages that are not installed
missing_pkgs() {
  local installed p out=""
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null |
              awk '$3 == "ok" && $4 == "installed" {print $1}')
  for p in "$@"; do grep -qx "$p" <<<"$installed" || out="$out $p"; done
  echo "$out"
}

# ensure_pkgs PKG... -> install whatever is missing (one apt-get update first)
ensure_pkgs() {
  local missing rc=0 added=0 prc=/usr/sbin/policy-rc.d
  missing=$(missing_pkgs "$@")
  [ -n "$missing" ] || return 0
  [ "${XM_NO_INSTALL:-0}" = 1 ] && die "missing Debian packages:$missing (XM_NO_INSTALL=1)"
  log "installing Debian packages:$missing"
  mkdir -p "$XM_DIR"
  # gridengine's postinst asks for master host and cell; answer in advance so
  # it runs non-interactively and initialises the cell itself
  if [[ " $missing " == *" gridengine-"* ]]; then
    local pkg h; h=$(hostname)
    for pkg in gridengine-common gridengine-client gridengine-master gridengine-exec; do
      printf '%s shared/gridenginemaster string %s\n%s shared/gridenginecell string default\n%s shared/gridengineconfig boolean true\n' \
        "$pkg" "$h" "$pkg" "$pkg"
    done | debconf-set-selections
  fi
  # these scripts start the daemons themselves, with their own configs and
  # ports: keep package postinst scripts from starting stock services
  if [ ! -e "$prc" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$prc"; chmod 0755 "$prc"; added=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # a failing third-party source must not stop the install from Debian's mirrors
  apt-get update >"$XM_DIR/apt-update.log" 2>&1 ||
    log "apt-get update reported errors (see $XM_DIR/apt-update.log), installing anyway"
  # shellcheck disable=SC2086  # one word per package
  apt-get install -y --no-install-recommends $missing >"$XM_DIR/apt-install.log" 2>&1 || rc=$?
  [ $added = 0 ] || rm -f "$prc"
  [ $rc = 0 ] || die "apt-get install failed (rc $rc), see $XM_DIR/apt-install.log"
}

# write_atomically FILE MODE TEXT -> FILE holds TEXT (plus a newline), put in
# place by a rename: a reader (a test running now) sees the old or the new
# content, never half of it
write_atomically() {
  local tmp
  tmp=$(mktemp "$1.XXXXXX") || die "cannot write $1"
  if ! { printf '%s\n' "$3" > "$tmp" && chmod "$2" "$tmp" && mv -f "$tmp" "$1"; }; then
    rm -f "$tmp"; die "cannot write $1"
  fi
}

# write_ssh_client_files -> known_hosts (every server whose host key exists)
# and ssh_config under $XM_DIR/ssh. Shared by start-sshd.sh and
# start-sshd-otp.sh, so neither drops the other's entries.
write_ssh_client_files() {
  local s=$XM_DIR/ssh kh="" cfg name port
  for name in cluster:"$XM_SSH_PORT" jump:"$XM_SSH_JUMP_PORT" otp:"$XM_SSH_OTP_PORT"; do
    port=${name#*:}; name=${name%%:*}
    [ -s "$s/ssh_host_${name}_ed25519_key.pub" ] || continue
    kh+="${kh:+$'\n'}[127.0.0.1]:$port,[localhost]:$port $(cut -d' ' -f1,2 "$s/ssh_host_${name}_ed25519_key.pub")"
  done
  cfg=$(render "$XM_CONF/ssh_config.in" PORT="$XM_SSH_PORT" JUMP_PORT="$XM_SSH_JUMP_PORT" \
    USER="$XM_SSH_USER" SSH_DIR="$s" OTP_PORT="$XM_SSH_OTP_PORT" OTP_USER="$XM_SSH_OTP_USER") || exit 1
  write_atomically "$s/known_hosts" 0644 "$kh"
  write_atomically "$s/ssh_config" 0644 "$cfg"
}

# otp_ssh CMD... -> run CMD as the two-factor user through host xm-otp, the
# one-time code answered by otp-askpass.sh: with SSH_ASKPASS_REQUIRE=force,
# ssh(1) sends its keyboard-interactive prompts to that program even without
# a terminal or DISPLAY
otp_ssh() {
  SSH_ASKPASS="$XM_HERE/otp-askpass.sh" SSH_ASKPASS_REQUIRE=force \
    ssh -F "$XM_DIR/ssh/ssh_config" xm-otp "$@" </dev/null
}

# listening PORT -> true once something listens on PORT
listening() { [ -n "$(port_owner "$1")" ]; }

# render TEMPLATE KEY=VALUE... -> prints TEMPLATE with each @KEY@ replaced
render() {
  local src=$1 kv out; shift
  local args=()
  for kv in "$@"; do args+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
  out=$(sed "${args[@]}" "$src") || die "cannot read $src"
  if grep -qE '@[A-Z_]+@' <<<"$out"; then
    die "unreplaced placeholder in $src: $(grep -oE '@[A-Z_]+@' <<<"$out" | sort -u | tr '\n' ' ')"
  fi
  printf '%s\n' "$out"
}
