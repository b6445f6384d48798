#!/usr/bin/env bash
# up.sh - install (if needed) and start the whole test cluster on this host,
# then check that each part is usable. Exit 0 only if all of it is.
#
#   1. sshd    127.0.0.1:2222 (+ jump host :2223), creates user xmtest;
#              two-factor sshd 127.0.0.1:2224 (key + one-time code), user xmotp
#   2. Slurm   munged, mariadbd, slurmdbd, slurmctld, slurmd c1 + c2
#              (after sshd, so xmtest and xmotp get a Slurm association)
#   2b. Slurm  a second cluster, xmtestb: slurmctld, slurmd b1 + b2, its own
#              config (clients need SLURM_CONF), sharing munged
#   3. containers  podman, enroot + pyxis (srun --container-image), charliecloud,
#              test images (after Slurm: pyxis is a Slurm plugin)
#   4. SGE     sge_qmaster + sge_execd, queue all.q, PE smp
#   5. Python  venv $XM_PY_VENV (/opt/xmrun-testpy) with Ray and CPU PyTorch,
#              for multi-node jobs run by root or by the ssh user
#
# Usage: up.sh [--clean]   (--clean: wipe the state of both Slurm clusters and SGE first)
# Safe to run repeatedly; a second run only re-checks. Writes
# $XM_TESTCLUSTER_DIR/cluster.env with the values tests need.
set -euo pipefail
XM_TAG=up
. "$(dirname "$0")/lib.sh"
CLEAN=()
for a in "$@"; do
  case $a in
    --clean) CLEAN=(--clean) ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) die "unknown argument: $a" ;;
  esac
done
require_root
T0=$(now)
S=$XM_DIR/ssh
H=$(hostname)
timings=()
step() { # NAME CMD... -> run CMD, record its duration
  local name=$1 t; shift
  t=$(now)
  "$@" || die "$name failed"
  timings+=("$name $(secs_since "$t")s")
}

# one apt-get run for all parts instead of one per script
step packages ensure_pkgs "${PKGS_SSHD[@]}" "${PKGS_OTP[@]}" "${PKGS_SLURM[@]}" "${PKGS_CONTAINERS[@]}" \
  "${PKGS_SGE[@]}" "${PKGS_PYTHON[@]}" "${PKGS_TOOLS[@]}" "${PKGS_BROWSER[@]}"
step sshd "$XM_HERE/start-sshd.sh"
step sshd-otp "$XM_HERE/start-sshd-otp.sh"
step slurm "$XM_HERE/start-slurm.sh" "${CLEAN[@]}"
step slurm-b "$XM_HERE/start-slurm-b.sh" "${CLEAN[@]}"
step containers "$XM_HERE/start-containers.sh"
step sge "$XM_HERE/start-sge.sh" "${CLEAN[@]}"
step python "$XM_HERE/start-python.sh"

# ---- end-to-end checks, the way tests will use the cluster
check() { # WHAT CMD... -> die with WHAT if CMD fails
  local what=$1 out; shift
  out=$("$@" 2>&1) || die "check failed: $what: $out"
}
# idle, or busy with jobs; not down/drained/not responding ('idle*')
nodes_idle() { [ "$(sinfo -h -N -p debug -o '%N %T' | grep -cE ' (idle|mixed|allocated|completing|planned)$')" = 2 ]; }
B_CONF=$XM_DIR/slurm-b/etc/slurm.conf
# the second cluster, through its own config only
b_nodes_idle() { [ "$(SLURM_CONF=$B_CONF sinfo -h -N -o '%N %T' | grep -cE '^b[12] (idle|mixed|allocated|completing|planned)$')" = 2 ]; }
queue_listed() { qstat -f -q all.q | grep -q "^all.q@$H "; }
# in_image N CMD... -> CMD prints the os-release of test image N (not the host's: a
# failing 'optional' pyxis runs the step on the host with exit status 0)
in_image() {
  local n=$1 out; shift
  out=$("$@") || return 1
  if ! grep -qx 'ID=xmrun-test' <<<"$out" || ! grep -qx "VERSION_ID=$n" <<<"$out"; then
    echo "not image $n: $out"; return 1
  fi
}
key_alone_refused() { ! ssh -F "$S/ssh_config" -o BatchMode=yes xm-otp true; }
verify() {
  check "sinfo: nodes c1 and c2 up" nodes_idle
  # sacct needs slurmdbd and the DB (sacctmgr was used by start-slurm.sh)
  check "sacct works" sacct -n -X -S now-1hours
  check "sinfo (SLURM_CONF=$B_CONF): nodes b1 and b2 of xmtestb up" b_nodes_idle
  check "qstat -f shows all.q@$H" queue_listed
  # as the ssh user: munge auth of a non-root user, and the SGE client
  check "ssh $XM_SSH_USER@127.0.0.1:$XM_SSH_PORT runs sinfo and qstat" \
    ssh -F "$S/ssh_config" xm-cluster 'sinfo -h >/dev/null && qstat >/dev/null'
  check "ssh $XM_SSH_USER@127.0.0.1:$XM_SSH_PORT runs sinfo of xmtestb (env SLURM_CONF=...)" \
    ssh -F "$S/ssh_config" xm-cluster "env SLURM_CONF=$(printf %q "$B_CONF") sinfo -h -p debug -o %N | grep -qx 'b\[1-2\]'"
  # containers: every runtime, as root and as the ssh user (the way specs submit)
  local img=$XM_DIR/images/xmrun-test
  check "podman run (root) shows image 1" in_image 1 podman run --rm localhost/xmrun-test:1 cat /etc/os-release
  check "podman run (rootless, over ssh) shows image 2" \
    in_image 2 ssh -F "$S/ssh_config" xm-cluster podman run --rm localhost/xmrun-test:2 cat /etc/os-release
  check "enroot start (root) shows image 1" in_image 1 enroot start "$img-1.sqsh" cat /etc/os-release
  check "srun --container-image (root) shows image 1" \
    in_image 1 srun --container-image="$img-1.sqsh" cat /etc/os-release
  check "srun --container-image (over ssh) shows image 2" \
    in_image 2 ssh -F "$S/ssh_config" xm-cluster srun --container-image="$img-2.sqsh" cat /etc/os-release
  check "ch-run (root) shows image 1" in_image 1 env USER=root ch-run "$img-1" -- cat /etc/os-release
  check "ch-run squashfs (over ssh) shows image 2" \
    in_image 2 ssh -F "$S/ssh_config" xm-cluster ch-run "$img-2.sqsh" -- cat /etc/os-release
  # the venv, as root and as the ssh user (who must be able to read it);
  # one command each, both at once: importing torch takes 1.5-4 s
  check "$XM_PY_VENV/bin: ray --version, python imports ray and torch" \
    bash -c "$PY_CHECK" &
  local root_check=$!
  check "ssh $XM_SSH_USER: $XM_PY_VENV/bin: ray --version, python imports ray and torch" \
    ssh -F "$S/ssh_config" xm-cluster "$PY_CHECK"
  wait "$root_check" || exit 1
  # two factors: the key is not enough, key + a code from oathtool is
  check "ssh $XM_SSH_OTP_USER@127.0.0.1:$XM_SSH_OTP_PORT refuses the key alone" key_alone_refused
  check "ssh $XM_SSH_OTP_USER@127.0.0.1:$XM_SSH_OTP_PORT with key + one-time code runs sinfo" \
    otp_ssh 'sinfo -h >/dev/null'
}
PY_CHECK="$(printf %q "$XM_PY_VENV/bin/ray") --version && $(printf %q "$XM_PY_VENV/bin/python") -c 'import ray, torch; torch.ones(2).sum()'"
PY_VERSIONS='from importlib.metadata import version as v; print("ray", v("ray"), "torch", v("torch"))'
step verify verify

cat > "$XM_DIR/cluster.env" <<EOF
# written by up.sh; KEY=VALUE lines (shell-sourceable, java.util.Properties-readable)
XM_TESTCLUSTER_DIR=$XM_DIR
XM_SSH_HOST=127.0.0.1
XM_SSH_PORT=$XM_SSH_PORT
XM_SSH_JUMP_PORT=$XM_SSH_JUMP_PORT
XM_SSH_USER=$XM_SSH_USER
XM_SSH_OTP_PORT=$XM_SSH_OTP_PORT
XM_SSH_OTP_USER=$XM_SSH_OTP_USER
XM_SSH_OTP_SECRET_FILE=$XM_DIR/otp/secret
XM_SSH_KEY=$S/id_ed25519
XM_SSH_KNOWN_HOSTS=$S/known_hosts
XM_SSH_CONFIG=$S/ssh_config
XM_SLURM_CLUSTER=xmtest
XM_SLURM_ACCOUNT=xmacct
XM_SLURM_PARTITIONS=debug,gpu
XM_SGE_QUEUE=all.q
XM_SGE_PE=smp
XM_PYTHON_BIN=$XM_PY_VENV/bin
EOF
# container runtimes, test images and their digests (start-containers.sh);
# the second Slurm cluster (start-slurm-b.sh)
cat "$XM_DIR/containers.env" "$XM_DIR/slurm-b.env" >> "$XM_DIR/cluster.env"

echo "test cluster up in $(secs_since "$T0") s  (${timings[*]})"
echo "  slurm   $(sinfo -h -o '%P:%D nodes %T' | paste -sd' ')  account xmacct"
echo "  slurm-b $(SLURM_CONF=$B_CONF sinfo -h -o '%P:%D nodes %T' | paste -sd' ')  SLURM_CONF=$B_CONF"
echo "  sge     $(qstat -f -q all.q | awk -v h="all.q@$H" '$1 == h {print $1, "slots(res/used/tot)", $3}') pe smp"
echo "  containers  podman, enroot, srun --container-image (pyxis), ch-run; images $XM_DIR/images"
echo "  python  $XM_PY_VENV/bin  $("$XM_PY_VENV/bin/python" -c "$PY_VERSIONS")"
echo "  ssh     $XM_SSH_USER@127.0.0.1:$XM_SSH_PORT, jump host 127.0.0.1:$XM_SSH_JUMP_PORT"
echo "  2fa     $XM_SSH_OTP_USER@127.0.0.1:$XM_SSH_OTP_PORT, key + one-time code (bash $XM_HERE/otp-code.sh)"
echo "  key         $S/id_ed25519"
echo "  known_hosts $S/known_hosts"
echo "  ssh_config  $S/ssh_config   (hosts xm-cluster, xm-bastion, xm-via-bastion, xm-otp)"
echo "  env         $XM_DIR/cluster.env"
