#!/usr/bin/env bash
# start-containers.sh - container runtimes for the test cluster's jobs, and test images.
#
#   podman 4.3      Debian package; system-wide config (vfs storage, runc, cgroupfs,
#                   low ulimits) in /etc/containers, so no environment is needed
#   enroot 4.1.2    built from source (NVIDIA/enroot 8ea147d): /usr/local/bin/enroot,
#                   config /etc/enroot
#   pyxis 0.24.0    built against Debian's libslurm-dev: /usr/local/lib/slurm/spank_pyxis.so,
#                   'optional' in /etc/slurm/plugstack.conf.d/pyxis.conf (srun/sbatch
#                   --container-image=FILE.sqsh)
#   charliecloud    Debian charliecloud-runtime: /usr/bin/ch-run
#   images          $XM_TESTCLUSTER_DIR/images/xmrun-test-{1,2}: rootfs directory, .tar,
#                   .sqsh; podman images localhost/xmrun-test:{1,2}
#
# Needs Slurm (start-slurm.sh) for pyxis. Writes $XM_TESTCLUSTER_DIR/containers.env
# (KEY=VALUE: runtimes, image paths, names and digests); up.sh copies it into cluster.env.
#
# enroot and pyxis sources (enroot-8ea147d-src.tar.gz, pyxis-0.24.0-src.tar.gz), the first
# that exists: $XM_CONTAINER_SRC, <repository>/../shared/realcluster-notes/containers/src,
# a shallow git clone from github.com.
#
# Usage: start-containers.sh [--rebuild]   (--rebuild: build enroot, pyxis and images again)
# Idempotent: a re-run only checks. slurmd is restarted only when pyxis' plugstack line changes.
set -euo pipefail
XM_TAG=start-containers
. "$(dirname "$0")/lib.sh"
REBUILD=0
for a in "$@"; do
  case $a in
    --rebuild) REBUILD=1 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) die "unknown argument: $a" ;;
  esac
done
require_root
T0=$(now)
C=$XM_DIR/containers       # sources, builds, logs
IMG=$XM_DIR/images         # test images, readable by every user
STORE=$IMG/podman          # podman's read-only image store for them (storage.conf)
PREFIX=/usr/local
ENROOT_VERSION=4.1.2
ENROOT_COMMIT=8ea147d337da60cb1c557140f3a85cdf0d620968
ENROOT_TARBALL=enroot-8ea147d-src.tar.gz
PYXIS_VERSION=0.24.0
PYXIS_TARBALL=pyxis-$PYXIS_VERSION-src.tar.gz
PYXIS_SO=$PREFIX/lib/slurm/spank_pyxis.so
PYXIS_CONF=/etc/slurm/plugstack.conf.d/pyxis.conf

ensure_pkgs "${PKGS_CONTAINERS[@]}"
mkdir -p "$C"
chmod 0755 "$XM_DIR"

# install_conf SRC DEST MODE -> copy SRC to DEST when they differ; true if it did
install_conf() {
  cmp -s "$1" "$2" && return 1
  install -D -m "$3" "$1" "$2"
  log "wrote $2"
}

# ---------------------------------------------------------------- podman
install_conf "$XM_CONF/podman-containers.conf" /etc/containers/containers.conf.d/50-xmrun.conf 0644 || true
render "$XM_CONF/podman-storage.conf.in" IMAGE_STORE="$STORE" > "$C/storage.conf"
install_conf "$C/storage.conf" /etc/containers/storage.conf 0644 || true
if id "$XM_SSH_USER" >/dev/null 2>&1; then
  uh=$(getent passwd "$XM_SSH_USER" | cut -d: -f6)
  ug=$(id -gn "$XM_SSH_USER")
  render "$XM_CONF/podman-storage-user.conf.in" IMAGE_STORE="$STORE" > "$C/storage-user.conf"
  install -d -o "$XM_SSH_USER" -g "$ug" -m 0700 "$uh/.config" "$uh/.config/containers"
  if install_conf "$C/storage-user.conf" "$uh/.config/containers/storage.conf" 0644; then
    chown "$XM_SSH_USER:$ug" "$uh/.config/containers/storage.conf"
  fi
fi
# No udev here, so these device nodes keep mode 0600; Debian's udev makes them 0666.
# Rootless podman's default network (slirp4netns) opens /dev/net/tun; charliecloud and
# enroot mount squashfs images through FUSE (squashfuse) for non-root users.
for dev in /dev/net/tun /dev/fuse; do
  [ ! -c "$dev" ] || chmod 0666 "$dev"
done

# ---------------------------------------------------------------- sources
# src_dir NAME TARBALL MARKER GIT_URL GIT_REF -> prints a directory holding NAME's
# source tree (MARKER is a file in it); unpacks TARBALL or clones GIT_REF
src_dir() {
  local name=$1 tarball=$2 marker=$3 url=$4 ref=$5 d=$C/src/$1 dir common
  local dirs=()
  if [ -f "$d/$marker" ]; then echo "$d"; return; fi
  if [ -n "${XM_CONTAINER_SRC:-}" ]; then
    dirs=("$XM_CONTAINER_SRC")
  else
    dirs=("$XM_HERE/../../../../shared/realcluster-notes/containers/src")
    # a linked worktree (git worktree add) lives elsewhere: look beside its main checkout too
    if common=$(git -C "$XM_HERE" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
      dirs+=("$(dirname "$common")/../shared/realcluster-notes/containers/src")
    fi
  fi
  rm -rf "$d"; mkdir -p "$d"
  for dir in "${dirs[@]}"; do
    if [ -s "$dir/$tarball" ]; then
      tar -xzf "$dir/$tarball" -C "$d" || die "cannot unpack $dir/$tarball"
      [ -f "$d/$marker" ] || die "$dir/$tarball has no $marker"
      log "$name source: $(cd "$dir" && pwd)/$tarball"
      echo "$d"; return
    fi
  done
  [ -z "${XM_CONTAINER_SRC:-}" ] || die "no $tarball in XM_CONTAINER_SRC=$XM_CONTAINER_SRC"
  log "no $tarball in ${dirs[*]}; cloning $url $ref"
  ensure_pkgs git
  # by commit id: a shallow clone takes only branch or tag names, a fetch takes an id too
  if git init -q "$d" && git -C "$d" fetch -q --depth 1 "$url" "$ref" &&
     git -C "$d" checkout -q FETCH_HEAD && [ -f "$d/$marker" ]; then
    rm -rf "$d/.git"   # else enroot's 'make deps' would fetch its git submodules
    echo "$d"; return
  fi
  rm -rf "$d"
  die "no $name source: put $tarball into \$XM_CONTAINER_SRC, or allow access to $url"
}

# ---------------------------------------------------------------- enroot
# Built without its git submodules (musl, makeself, kernel headers): FORCE_GLIBC=1 links the
# helpers against glibc plus Debian's libbsd (glibc 2.36 lacks strlcpy, which enroot's own
# libbsd subset does not provide), Debian's makeself 2.4.5 is the version enroot pins, and
# linux-libc-dev provides the kernel headers.
if [ $REBUILD = 1 ] || [ "$("$PREFIX/bin/enroot" version 2>/dev/null)" != "$ENROOT_VERSION" ]; then
  t=$(now)
  src=$(src_dir enroot "$ENROOT_TARBALL" enroot.in https://github.com/NVIDIA/enroot "$ENROOT_COMMIT")
  B=$C/build/enroot
  rm -rf "$B"; mkdir -p "$B"; cp -a "$src/." "$B/"
  if [ ! -s "$B/deps/makeself/makeself.sh" ]; then
    install -D -m 0755 /usr/bin/makeself "$B/deps/dist/makeself/bin/enroot-makeself"
    touch "$B/deps/makeself/.stamp"
  fi
  [ -s "$B/deps/linux-headers/Makefile" ] || touch "$B/deps/linux-headers/.stamp"
  # the full path: -lbsd would find the bundled subset (deps/dist/libbsd/libbsd.a) first
  libbsd=$(gcc -print-file-name=libbsd.so)
  [ -e "$libbsd" ] || die "libbsd.so not found (libbsd-dev)"
  mk=(FORCE_GLIBC=1 "LDLIBS=-l:libbsd.a $libbsd" prefix="$PREFIX" sysconfdir=/etc)
  { make -C "$B" -j"$(nproc)" "${mk[@]}" && make -C "$B" install "${mk[@]}"; } >"$C/enroot-make.log" 2>&1 ||
    { tail -20 "$C/enroot-make.log" >&2; die "enroot build failed, see $C/enroot-make.log"; }
  log "enroot $("$PREFIX/bin/enroot" version) built and installed in $(secs_since "$t") s"
fi
install_conf "$XM_CONF/enroot.conf" /etc/enroot/enroot.conf.d/50-xmrun.conf 0644 || true
# parent of the per-user runtime dirs (enroot.conf); /run may be a fresh tmpfs after a reboot
install -d -m 1777 /run/enroot

# ---------------------------------------------------------------- pyxis
if [ $REBUILD = 1 ] || ! grep -qaF "pyxis: version v$PYXIS_VERSION" "$PYXIS_SO" 2>/dev/null; then
  t=$(now)
  src=$(src_dir pyxis "$PYXIS_TARBALL" pyxis_slurmstepd.c https://github.com/NVIDIA/pyxis "v$PYXIS_VERSION")
  B=$C/build/pyxis
  rm -rf "$B"; mkdir -p "$B"; cp -a "$src/." "$B/"
  { make -C "$B" -j"$(nproc)" && make -C "$B" install prefix="$PREFIX"; } >"$C/pyxis-make.log" 2>&1 ||
    { tail -20 "$C/pyxis-make.log" >&2; die "pyxis build failed, see $C/pyxis-make.log"; }
  log "pyxis $PYXIS_VERSION built and installed in $(secs_since "$t") s"
fi
# 'optional': a failing pyxis only logs a warning instead of failing every job (spank(7)).
# The flip side: a container step whose pyxis part fails may run on the host, so checks
# look at the image's /etc/os-release. Debian's plugstack.conf includes plugstack.conf.d/*.conf.
grep -qs '^include /etc/slurm/plugstack.conf.d/\*.conf' /etc/slurm/plugstack.conf ||
  die "/etc/slurm/plugstack.conf does not include plugstack.conf.d/*.conf"
printf 'optional %s\n' "$PYXIS_SO" > "$C/pyxis.conf"
if install_conf "$C/pyxis.conf" "$PYXIS_CONF" 0644; then
  # srun and slurmstepd read plugstack.conf at each start, slurmd only at its own start
  # (pyxis' slurmd part creates /run/pyxis): restart the slurmd daemons start-slurm.sh runs
  SL=$XM_DIR/slurm
  restart=0
  for pf in "$SL"/slurmd-*.pid; do
    if alive "$pf" slurmd; then restart=1; stop_pidfile "$pf" slurmd; fi
  done
  if [ $restart = 1 ]; then
    log "plugstack changed: restarting slurmd"
    "$XM_HERE/start-slurm.sh"
  fi
fi

# ---------------------------------------------------------------- images
# make_rootfs DIR N -> a small image: busybox-static for the usual commands, Debian's bash
# with its libraries (job scripts run under bash), /etc/os-release naming test image N
make_rootfs() {
  local r=$1 n=$2 a lib
  rm -rf "$r"
  mkdir -p "$r"/{usr/bin,usr/lib,usr/lib64,etc,root,home,tmp,var/tmp,proc,sys,dev,run,mnt,opt}
  # merged /usr, as in Debian: /bin/sh and /usr/bin/env both resolve
  for a in bin sbin; do ln -s usr/bin "$r/$a"; done
  ln -s bin "$r/usr/sbin"; ln -s usr/lib "$r/lib"; ln -s usr/lib64 "$r/lib64"
  chmod 1777 "$r/tmp" "$r/var/tmp"
  cp /usr/bin/busybox "$r/usr/bin/busybox"
  for a in $(busybox --list); do
    [ "$a" = busybox ] || ln -sf busybox "$r/usr/bin/$a"
  done
  rm -f "$r/usr/bin/bash"
  cp /usr/bin/bash "$r/usr/bin/bash"
  # libraries at the path the loader looks for them (ldd: "name => /lib/...so (addr)")
  for lib in $(ldd /usr/bin/bash | grep -oE '/[^ ]+'); do
    install -D -m 0755 "$lib" "$r/usr${lib#/usr}"
  done
  printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
  printf 'NAME="xmrun test image"\nID=xmrun-test\nVERSION_ID=%s\nPRETTY_NAME="xmrun test image %s"\n' \
    "$n" "$n" > "$r/etc/os-release"
  chroot "$r" /bin/bash -c 'true' || die "bash copied into $r does not run there"
}

podman_ref() { echo "localhost/xmrun-test:$1"; }
# podman_store ARG... -> podman working on the image store itself (writable, no other store)
podman_store() {
  CONTAINERS_STORAGE_CONF=$C/store.conf podman "$@"
}
printf '[storage]\ndriver = "vfs"\nrunroot = "/run/containers/xmrun-images"\ngraphroot = "%s"\n' \
  "$STORE" > "$C/store.conf"
install -d -m 0755 "$IMG"
for n in 1 2; do
  base=$IMG/xmrun-test-$n
  if [ $REBUILD = 0 ] && [ -s "$base/etc/os-release" ] && [ -s "$base.tar" ] && [ -s "$base.sqsh" ] &&
     podman_store image exists "$(podman_ref $n)"; then
    continue
  fi
  t=$(now)
  make_rootfs "$base" "$n"
  # fixed order, owners and times: the same content gives the same files and podman ids
  # ('podman import' dates the image with the tar file's mtime)
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$base" -cf "$base.tar.new" .
  touch -d @0 "$base.tar.new"
  mv "$base.tar.new" "$base.tar"
  mksquashfs "$base" "$base.sqsh.new" -noappend -quiet -all-root -mkfs-time 0 -all-time 0 >/dev/null ||
    die "mksquashfs $base failed"
  mv "$base.sqsh.new" "$base.sqsh"
  chmod 0644 "$base.tar" "$base.sqsh"
  podman_store rmi -f "$(podman_ref $n)" >/dev/null 2>&1 || true
  podman_store import --quiet --message "xmrun test image $n" "$base.tar" "$(podman_ref $n)" >/dev/null ||
    die "podman import $base.tar failed"
  log "image $n: $base{/,.tar,.sqsh}, $(podman_ref $n) ($(secs_since "$t") s)"
done
# podman creates its store 0700 with 0600 metadata; rootless users read it
chmod -R go+rX "$STORE"

# ---------------------------------------------------------------- values for tests
{
  echo "XM_PODMAN=$(command -v podman)"
  echo "XM_ENROOT=$PREFIX/bin/enroot"
  echo "XM_CH_RUN=$(command -v ch-run)"
  echo "XM_PYXIS_PLUGIN=$PYXIS_SO"
  echo "XM_IMAGES_DIR=$IMG"
  echo "XM_IMAGE_OS_ID=xmrun-test"
  for n in 1 2; do
    base=$IMG/xmrun-test-$n
    ref=$(podman_ref $n)
    echo "XM_IMAGE_${n}_PODMAN=$ref"
    # from the store itself: a same-named image in root's own store would shadow it
    echo "XM_IMAGE_${n}_PODMAN_ID=$(podman_store image inspect --format '{{.Id}}' "$ref")"
    echo "XM_IMAGE_${n}_PODMAN_DIGEST=$(podman_store image inspect --format '{{.Digest}}' "$ref")"
    echo "XM_IMAGE_${n}_SQSH=$base.sqsh"
    echo "XM_IMAGE_${n}_SQSH_SHA256=$(sha256sum "$base.sqsh" | cut -d' ' -f1)"
    echo "XM_IMAGE_${n}_DIR=$base"
    echo "XM_IMAGE_${n}_TAR=$base.tar"
  done
} > "$XM_DIR/containers.env.new"
mv "$XM_DIR/containers.env.new" "$XM_DIR/containers.env"
chmod 0644 "$XM_DIR/containers.env"

log "containers ready: podman $(podman --version | awk '{print $3}'), enroot $("$PREFIX/bin/enroot" version)," \
  "pyxis $PYXIS_VERSION, ch-run $(USER=root ch-run --version 2>&1) ($(secs_since "$T0") s)"
