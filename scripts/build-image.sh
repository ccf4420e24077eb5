#!/usr/bin/env bash
# Assembles the Switchboard container image without a registry: a jlink'ed Java runtime, the fat jar and the
# host libraries they load, laid out as ecosystem/docker/Dockerfile's runtime stage lays them out, then
# `docker import`ed. The image's configuration (ENV, EXPOSE, USER, WORKDIR, ENTRYPOINT, CMD, LABEL) is read
# from the Dockerfile itself, so the two cannot drift apart.
#
#   scripts/build-image.sh [--jar PATH] [--tag NAME:TAG] [--cache DIR]
#
#   --jar    the fat jar (default: server/app/target/switchboard.jar)
#   --tag    image name (default: switchboard:<version of the root pom>)
#   --cache  where rootfs folders are kept, one per input hash (default: image-cache/ beside the jar)
#
# The rootfs is built once per (jar, this script) hash and reused; an image already carrying that
# hash in its label dev.switchboard.build is not imported again. Prints the image name on the last line.
# Differences from a Dockerfile build: no HEALTHCHECK (the Dockerfile's uses bash, which this image has no
# copy of: probe GET /health from outside), no shell or other tools in the image.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOCKER=${DOCKER:-/usr/bin/docker}
DOCKERFILE=$REPO/ecosystem/docker/Dockerfile
JDK=${SWITCHBOARD_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")}
# The runtime's modules: what the jar's libraries use (jdeps under-reports reflective and optional use), checked by
# running the image in ecosystem/test/image.test.mjs.
MODULES=java.base,java.logging,java.management,jdk.management,java.naming,jdk.naming.dns,java.net.http,java.sql,\
java.transaction.xa,java.xml,java.security.jgss,jdk.crypto.ec,jdk.unsupported,jdk.zipfs,jdk.jfr
JAVA_HOME_IN_IMAGE=/opt/java/openjdk
APP_DIR=/opt/switchboard
APP_USER=switchboard
APP_UID=999

log() { echo "build-image: $*" >&2; }
die() { log "$*"; exit 1; }

jar=$REPO/server/app/target/switchboard.jar
tag=
cache=
while (($#)); do
    case $1 in
        --jar) jar=${2:?--jar needs a path}; shift 2 ;;
        --tag) tag=${2:?--tag needs a name}; shift 2 ;;
        --cache) cache=${2:?--cache needs a folder}; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) die "unknown option '$1'" ;;
    esac
done
[[ -f $jar ]] || die "jar not found: $jar (build it: ./mvnw -B -ntp -pl server/app -am package -DskipTests)"
[[ -x $JDK/bin/jlink && -d $JDK/jmods ]] || die "no JDK with jmods at $JDK (set SWITCHBOARD_JDK)"
jar=$(readlink -f "$jar")
cache=${cache:-$(dirname "$jar")/image-cache}
if [[ -z $tag ]]; then
    tag=switchboard:$(bash "$REPO/scripts/release.sh" --print-version)
fi

# ---------- the Dockerfile's runtime stage, one logical line per instruction ----------
runtime_stage() {
    # Joins continuation lines, drops comments, keeps what follows the last FROM.
    sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' "$DOCKERFILE" | grep -v '^\s*#' | grep -v '^\s*$' \
        | awk '/^FROM /{stage=""} {stage = stage $0 "\n"} END{printf "%s", stage}'
}

changes=()
while IFS= read -r line; do
    instruction=${line%% *}
    case ${instruction^^} in
        FROM) ;;
        ENV|EXPOSE|USER|WORKDIR|ENTRYPOINT|CMD|LABEL) changes+=(--change "$line") ;;
        RUN) [[ $line == *"useradd"*" $APP_USER"* ]] || die "Dockerfile RUN no longer creates user $APP_USER: update $0" ;;
        COPY) [[ $line == *" $APP_DIR/switchboard.jar" ]] || die "Dockerfile COPY target changed: update $0" ;;
        STOPSIGNAL) [[ $line == "STOPSIGNAL SIGTERM" ]] || die "docker import keeps only the default stop signal (SIGTERM)" ;;
        HEALTHCHECK) ;;   # see the header
        *) die "Dockerfile instruction '$instruction' in the runtime stage is not reproduced by $0" ;;
    esac
done < <(runtime_stage)
changes+=(--change "ENV JAVA_HOME=$JAVA_HOME_IN_IMAGE PATH=$JAVA_HOME_IN_IMAGE/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8")

# The rootfs depends on the jar and this script; the image also on the Dockerfile's configuration.
rootfs_key=$(cat "$jar" "$0" | sha256sum | cut -c1-16)
key=$(printf '%s\n' "$rootfs_key" "${changes[@]}" | sha256sum | cut -c1-16)
changes+=(--change "LABEL dev.switchboard.build=$key")

if [[ $("$DOCKER" image inspect --format '{{index .Config.Labels "dev.switchboard.build"}}' "$tag" 2>/dev/null) == "$key" ]]; then
    log "image $tag is up to date (build $key)"
    echo "$tag"
    exit 0
fi

# ---------- the rootfs ----------
arch=$(uname -m)
case $arch in
    x86_64) netty_native=libnetty_transport_native_epoll_x86_64.so; jna_dir=linux-x86-64 ;;
    aarch64) netty_native=libnetty_transport_native_epoll_aarch_64.so; jna_dir=linux-aarch64 ;;
    *) die "unsupported architecture $arch" ;;
esac

copy_host_libraries() {
    # Every shared library (and the dynamic loader) that the ELF files given need, at the host's paths.
    local rootfs=$1; shift
    local libs
    libs=$(for elf in "$@"; do ldd "$elf" 2>/dev/null || true; done \
        | awk '/=> \//{print $3} /^[ \t]*\/[^ ]+ \(0x/{print $1}' | sort -u)
    local lib
    for lib in $libs; do
        [[ $lib == "$rootfs"* ]] && continue           # the runtime's own libraries
        cp -L --parents "$lib" "$rootfs/"
    done
}

build_rootfs() {
    local rootfs=$1 work
    work=$(mktemp -d)
    # shellcheck disable=SC2064 # expand now: the local is gone when the trap runs
    trap "rm -rf '$work'" RETURN
    log "jlink $MODULES"
    "$JDK/bin/jlink" --module-path "$JDK/jmods" --add-modules "$MODULES" --strip-debug --no-man-pages \
        --no-header-files --compress=2 --output "$rootfs$JAVA_HOME_IN_IMAGE"
    # The class-data sharing archive a JDK ships (jlink of Java 17 does not make one): faster start.
    "$rootfs$JAVA_HOME_IN_IMAGE/bin/java" -Xshare:dump >/dev/null
    install -d -m 0755 "$rootfs$APP_DIR"
    install -m 0644 "$jar" "$rootfs$APP_DIR/switchboard.jar"
    # Natives the libraries unpack at run time (Netty's epoll transport, JNA for OSHI): their needs too.
    unzip -q -o -j "$jar" "META-INF/native/$netty_native" "com/sun/jna/$jna_dir/libjnidispatch.so" -d "$work"
    local elves
    mapfile -t elves < <(find "$rootfs$JAVA_HOME_IN_IMAGE" -type f \( -name '*.so' -o -path '*/bin/*' \))
    copy_host_libraries "$rootfs" "${elves[@]}" "$work/$netty_native" "$work/libjnidispatch.so"
    install -d -m 0755 "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
    install -d -m 1777 "$rootfs/tmp"
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\n%s:x:%d:%d:Switchboard:%s:/usr/sbin/nologin\n' \
        "$APP_USER" "$APP_UID" "$APP_UID" "$APP_DIR" >"$rootfs/etc/passwd"
    printf 'root:x:0:\n%s:x:%d:\n' "$APP_USER" "$APP_UID" >"$rootfs/etc/group"
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
}

dir=$cache/$rootfs_key
if [[ ! -f $dir/done ]]; then
    rm -rf "$dir"
    mkdir -p "$dir/rootfs"
    build_rootfs "$dir/rootfs"
    touch "$dir/done"
    # Older builds of the same jar folder are of no further use.
    find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$rootfs_key" -exec rm -rf {} +
else
    log "rootfs $dir reused"
fi

log "docker import $tag ($(du -sh "$dir/rootfs" | cut -f1) rootfs)"
tar -C "$dir/rootfs" --numeric-owner --owner=0 --group=0 -c . | "$DOCKER" import "${changes[@]}" - "$tag" >/dev/null
echo "$tag"
