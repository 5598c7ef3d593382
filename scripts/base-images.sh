#!/usr/bin/env bash
# Build the base images berth users start from (busybox:latest and
# debian:bookworm), cache their rootfs tarballs, and import them through the
# engine's standard `import` path (the berth CLI, which mirrors `docker import`).
#
# Usage: scripts/base-images.sh [options]
#   --only busybox|debian  build/import just one image (the test suite needs
#                          only busybox; debian takes a minute or two)
#   --rebuild              rebuild the tarballs even if cached (implies a
#                          re-import)
#   --force-import         re-import even if the image already exists
#   --no-import            only build/cache the tarballs (also BERTH_NO_IMPORT=1)
#   --cache-dir DIR        tarball cache (default $BERTH_CACHE, else
#                          <repo>/.cache/base-images)
#   -h, --help             show this help
#
# Environment:
#   BERTH                  CLI used for import/tag/inspect (default
#                          <repo>/bin/berth; e.g. BERTH=docker works the same;
#                          split on whitespace, so BERTH="sudo docker" is ok)
#   BERTH_CACHE            cache directory (see --cache-dir)
#   BUSYBOX                static busybox binary (default /bin/busybox)
#   DEBIAN_MIRROR          default: the host's apt sources, else
#                          http://deb.debian.org/debian
#   DEBIAN_SECURITY_MIRROR default: the host's apt sources, else
#                          http://deb.debian.org/debian-security
#   SOURCE_DATE_EPOCH      timestamp for reproducible tarballs (default 0 for
#                          busybox, 1747699200 = 2025-05-20 for debian)
#
# Outputs (in the cache dir): busybox.tar, debian.tar, each with a .sha256
# sidecar; busybox.tar.src records which busybox binary it was built from.
set -euo pipefail

REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
SUITE=bookworm
DEBIAN_DEFAULT_EPOCH=1747699200
IMAGE_PATH_ENV='PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

only=""
rebuild=0
force_import=0
no_import=0
case ${BERTH_NO_IMPORT:-} in 1|true|yes) no_import=1 ;; esac
cache_dir=${BERTH_CACHE:-$REPO/.cache/base-images}

log() { printf 'base-images: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

while (($#)); do
  case $1 in
    --only)
      (($# >= 2)) || die "--only needs an argument (busybox|debian)"
      only=$2; shift ;;
    --only=*) only=${1#--only=} ;;
    --rebuild) rebuild=1 ;;
    --force-import) force_import=1 ;;
    --no-import) no_import=1 ;;
    --cache-dir)
      (($# >= 2)) || die "--cache-dir needs an argument"
      cache_dir=$2; shift ;;
    --cache-dir=*) cache_dir=${1#--cache-dir=} ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done
case $only in
  ""|busybox|debian) ;;
  *) die "--only must be busybox or debian, not '$only'" ;;
esac
want() { [[ -z $only || $only == "$1" ]]; }

mkdir -p -- "$cache_dir"
cache_dir=$(cd -- "$cache_dir" && pwd)

# Serialize concurrent runs (e.g. parallel test jobs) so the work is done once.
exec 9>"$cache_dir/.lock"
if ! flock -n 9; then
  log "waiting for another base-images run to finish..."
  flock 9
fi

# Temporary files/dirs to remove on exit (successful or not).
tmp_paths=()
cleanup() {
  local p
  for p in "${tmp_paths[@]}"; do
    [[ -e $p || -L $p ]] && rm -rf -- "$p"
  done
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

human_size() { numfmt --to=iec-i --suffix=B "$(stat -c %s -- "$1")"; }
sha256_of() { sha256sum -- "$1" | cut -d' ' -f1; }

# Atomically publish $1 (a temp file in the cache dir) as $2, plus sidecar.
publish() {
  local tmp=$1 dest=$2 digest
  digest=$(sha256_of "$tmp")
  printf '%s  %s\n' "$digest" "$(basename -- "$dest")" >"$tmp.sha256"
  mv -f -- "$tmp.sha256" "$dest.sha256"
  mv -f -- "$tmp" "$dest"
}

# --------------------------------------------------------------------------
# busybox
# --------------------------------------------------------------------------
busybox_tar=$cache_dir/busybox.tar
busybox_built=0

busybox_source_id() {
  local bin=$1 ver
  ver=$(dpkg-query -W -f='${Package} ${Version}' busybox-static 2>/dev/null || true)
  printf '%s %s\n' "${ver:-unknown}" "$(sha256_of "$bin")"
}

build_busybox() {
  local bin=${BUSYBOX:-/bin/busybox}
  [[ -x $bin ]] || die "$bin not found (apt-get install -y busybox-static)"
  if ! file -L -- "$bin" 2>/dev/null | grep -q 'statically linked'; then
    die "$bin is not statically linked (install busybox-static)"
  fi

  local src_id
  src_id=$(busybox_source_id "$bin")
  if ((!rebuild)) && [[ -f $busybox_tar && -f $busybox_tar.src ]] &&
     [[ $(<"$busybox_tar.src") == "$src_id" ]]; then
    log "busybox: cached $busybox_tar ($(human_size "$busybox_tar"))"
    return 0
  fi

  log "busybox: building rootfs from $bin ($src_id)"
  local start=$SECONDS root tmp
  root=$(mktemp -d "$cache_dir/.busybox-root.XXXXXX")
  tmp_paths+=("$root")
  chmod 0755 "$root"

  local d
  for d in bin sbin usr usr/bin usr/sbin etc home var var/spool var/spool/mail var/www dev proc sys; do
    install -d -m 0755 "$root/$d"
  done
  install -d -m 0700 "$root/root"
  install -d -m 1777 "$root/tmp"
  install -m 0755 "$bin" "$root/bin/busybox"

  # One relative symlink per applet, e.g. usr/bin/wc -> ../../bin/busybox.
  local applet dir up target n=0
  while IFS= read -r applet; do
    case $applet in
      ""|bin/busybox|linuxrc) continue ;;
      */*) ;;
      *) continue ;; # top-level oddities
    esac
    dir=${applet%/*}
    if [[ $dir == bin ]]; then
      target=busybox
    else
      up=${dir//[!\/]/}    # one "/" per extra path level below the first
      target=../${up//\//../}bin/busybox
    fi
    install -d -m 0755 "$root/$dir"
    ln -sfn -- "$target" "$root/$applet"
    n=$((n + 1))
  done < <("$bin" --list-full)
  [[ -L $root/bin/sh ]] || die "busybox has no sh applet"

  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
EOF
  cat >"$root/etc/shadow" <<'EOF'
root:*:10933:0:99999:7:::
daemon:*:10933:0:99999:7:::
bin:*:10933:0:99999:7:::
sys:*:10933:0:99999:7:::
sync:*:10933:0:99999:7:::
mail:*:10933:0:99999:7:::
www-data:*:10933:0:99999:7:::
operator:*:10933:0:99999:7:::
nobody:*:10933:0:99999:7:::
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:daemon
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nogroup:x:65534:
EOF
  cat >"$root/etc/nsswitch.conf" <<'EOF'
passwd:   files
group:    files
shadow:   files
hosts:    files dns
networks: files
protocols: files
services: files
EOF
  chmod 0644 "$root/etc/passwd" "$root/etc/group" "$root/etc/nsswitch.conf"
  chmod 0640 "$root/etc/shadow"

  # Reproducible tar: sorted names (C locale), fixed mtime/owner, GNU format
  # (no atime/ctime), no "./" prefix, no entry for "." itself.
  tmp=$(mktemp "$cache_dir/.busybox.tar.XXXXXX")
  tmp_paths+=("$tmp")
  (cd -- "$root" && find . -mindepth 1 -printf '%P\0' | LC_ALL=C sort -z) |
    tar -C "$root" --create --file="$tmp" --format=gnu --no-recursion \
        --null --files-from=- --mtime="@${SOURCE_DATE_EPOCH:-0}" \
        --owner=0 --group=0 --numeric-owner
  chmod 0644 "$tmp"
  publish "$tmp" "$busybox_tar"
  printf '%s\n' "$src_id" >"$busybox_tar.src.tmp"
  mv -f -- "$busybox_tar.src.tmp" "$busybox_tar.src"
  busybox_built=1
  log "busybox: built $busybox_tar ($n applets, $(human_size "$busybox_tar")," \
      "sha256:$(cut -d' ' -f1 "$busybox_tar.sha256"), $((SECONDS - start))s)"
}

# --------------------------------------------------------------------------
# debian
# --------------------------------------------------------------------------
debian_tar=$cache_dir/debian.tar
debian_built=0

# Print the URIs of the host's apt sources (one-line and deb822 formats).
host_apt_uris() {
  local f
  shopt -s nullglob
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r $f ]] || continue
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/ && $i !~ /=/) { print $i; break } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r $f ]] || continue
    awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"
  done
  shopt -u nullglob
}

build_debian() {
  if ((!rebuild)) && [[ -f $debian_tar ]]; then
    log "debian: cached $debian_tar ($(human_size "$debian_tar"))"
    return 0
  fi
  command -v mmdebstrap >/dev/null || die "mmdebstrap not found (apt-get install -y mmdebstrap)"
  command -v mmtarfilter >/dev/null || die "mmtarfilter not found (part of mmdebstrap)"

  local uris mirror security
  uris=$(host_apt_uris || true)
  mirror=${DEBIAN_MIRROR:-$(grep -E '/debian/?$' <<<"$uris" | head -n1 || true)}
  security=${DEBIAN_SECURITY_MIRROR:-$(grep -E '/debian-security/?$' <<<"$uris" | head -n1 || true)}
  mirror=${mirror:-http://deb.debian.org/debian}
  security=${security:-http://deb.debian.org/debian-security}
  mirror=${mirror%/}
  security=${security%/}

  local epoch=${SOURCE_DATE_EPOCH:-$DEBIAN_DEFAULT_EPOCH}
  log "debian: building $SUITE (minbase) from $mirror + $security, SOURCE_DATE_EPOCH=$epoch"
  local start=$SECONDS tmp sources
  tmp=$(mktemp "$cache_dir/.debian.tar.XXXXXX")
  sources=$(mktemp "$cache_dir/.debian.sources.XXXXXX")
  tmp_paths+=("$tmp" "$sources")

  # Final apt sources in deb822 form, as in the official image.
  cat >"$sources" <<EOF
Types: deb
URIs: $mirror
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

  # Set up merged-/usr with symlinks (as debootstrap does) instead of
  # installing the usrmerge package, which drags in full perl.
  local usr_hook=/usr/share/mmdebstrap/hooks/merged-usr
  [[ -d $usr_hook ]] || die "$usr_hook missing (mmdebstrap too old?)"

  # Docker-style tweaks as in the official image (debuerreotype): no service
  # starts, no cached .debs, no translations, gzipped indexes, no suggests
  # autoremove; resolv.conf/hostname are left empty (the engine provides them).
  # shellcheck disable=SC2016 # $1 is expanded by mmdebstrap's hook shell
  local -a hooks=(
    --customize-hook='printf "#!/bin/sh\nexit 101\n" >"$1/usr/sbin/policy-rc.d" && chmod 0755 "$1/usr/sbin/policy-rc.d"'
    --customize-hook='printf "%s\n" "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };" "APT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };" "Dir::Cache::pkgcache \"\";" "Dir::Cache::srcpkgcache \"\";" >"$1/etc/apt/apt.conf.d/docker-clean"'
    --customize-hook='printf "%s\n" "Acquire::Languages \"none\";" >"$1/etc/apt/apt.conf.d/docker-no-languages"'
    --customize-hook='printf "%s\n" "Acquire::GzipIndexes \"true\";" "Acquire::CompressionTypes::Order:: \"gz\";" >"$1/etc/apt/apt.conf.d/docker-gzip-indexes"'
    --customize-hook='printf "%s\n" "Apt::AutoRemove::SuggestsImportant \"false\";" >"$1/etc/apt/apt.conf.d/docker-autoremove-suggests"'
    --customize-hook=': >"$1/etc/resolv.conf" && : >"$1/etc/hostname" && chmod 0644 "$1/etc/resolv.conf" "$1/etc/hostname"'
    --customize-hook="cp -- $(printf '%q' "$sources") \"\$1/etc/apt/sources.list.d/debian.sources\""
    --customize-hook='rm -f "$1/etc/apt/sources.list" && chmod 0644 "$1/etc/apt/sources.list.d/debian.sources"'
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb "$1"/var/cache/debconf/*-old "$1"/var/lib/dpkg/*-old'
  )

  # mmdebstrap writes the tarball to stdout; mmtarfilter drops the device
  # nodes/symlinks under ./dev (the engine provides /dev) but keeps ./dev/.
  # Its chatter goes to a log that is shown (and kept) only on failure.
  local buildlog=$cache_dir/debian-build.log
  if ! SOURCE_DATE_EPOCH=$epoch mmdebstrap --variant=minbase --mode=root \
      --format=tar --hook-dir="$usr_hook" "${hooks[@]}" \
      "$SUITE" - \
      "deb $mirror $SUITE main" \
      "deb $mirror $SUITE-updates main" \
      "deb $security $SUITE-security main" 2>"$buildlog" |
    mmtarfilter --path-exclude='/dev/*' >"$tmp"; then
    tail -n 30 -- "$buildlog" >&2
    die "debian: mmdebstrap failed (full log: $buildlog)"
  fi
  rm -f -- "$buildlog"

  local devs
  devs=$(tar -tvf "$tmp" | awk '/^[cbp]/ { n++ } END { print n + 0 }')
  ((devs == 0)) || die "debian: tarball still contains $devs device nodes/fifos"
  tar -tf "$tmp" ./etc/debian_version >/dev/null || die "debian: tarball looks incomplete"
  chmod 0644 "$tmp"
  publish "$tmp" "$debian_tar"
  debian_built=1
  log "debian: built $debian_tar ($(human_size "$debian_tar")," \
      "sha256:$(cut -d' ' -f1 "$debian_tar.sha256"), $((SECONDS - start))s)"
}

# --------------------------------------------------------------------------
# import
# --------------------------------------------------------------------------
berth_cmd=()
init_berth() {
  read -r -a berth_cmd <<<"${BERTH:-$REPO/bin/berth}"
  ((${#berth_cmd[@]})) || die "BERTH is empty"
  command -v -- "${berth_cmd[0]}" >/dev/null ||
    die "berth CLI '${berth_cmd[0]}' not found (set BERTH=..., or use --no-import)"
}
berth() { "${berth_cmd[@]}" "$@"; }
has_image() { berth image inspect "$1" >/dev/null 2>&1; }

# import_image TARBALL NAME BUILT CHANGE...
import_image() {
  local tarball=$1 name=$2 built=$3; shift 3
  if ((!force_import && !rebuild && !built)) && has_image "$name"; then
    log "import: $name already present"
    return 0
  fi
  local -a changes=() c
  for c in "$@"; do changes+=(--change "$c"); done
  log "import: $name <- $tarball"
  local id
  id=$(berth import "${changes[@]}" "$tarball" "$name") ||
    die "import of $name failed"
  log "import: $name ${id:-}"
}

if want busybox; then build_busybox; fi
if want debian; then build_debian; fi

if ((no_import)); then
  log "skipping import (--no-import)"
  exit 0
fi

init_berth
if want busybox; then
  import_image "$busybox_tar" busybox:latest "$busybox_built" \
    "ENV $IMAGE_PATH_ENV" 'CMD ["sh"]'
fi
if want debian; then
  debian_imported=0
  if ((force_import || rebuild || debian_built)) || ! has_image debian:bookworm; then
    import_image "$debian_tar" debian:"$SUITE" 1 "ENV $IMAGE_PATH_ENV" 'CMD ["bash"]'
    debian_imported=1
  else
    log "import: debian:$SUITE already present"
  fi
  if ((debian_imported)) || ! has_image debian:12; then
    berth tag debian:"$SUITE" debian:12 || die "tag debian:12 failed"
    log "import: tagged debian:12"
  fi
fi
