#!/usr/bin/env bash
# Builds the release artifacts of one version into dist/<version>/ (see CHANGELOG.md for the tag convention):
#
#   switchboard-<version>.jar                the runnable server
#   switchboard-<version>.jar.sha256         its SHA-256 (`sha256sum -c` format)
#   switchboard-client-<version>.tgz (+ .sha256)   the JS client package (ecosystem/client, npm pack)
#   switchboard-image-<version>.tar (+ .sha256)    the container image switchboard:<version> (docker save;
#                                            load with `docker load -i`), assembled by scripts/build-image.sh
#
#   scripts/release.sh [--version X.Y.Z] [--jar PATH] [--out DIR] [--no-image] [--no-client]
#   scripts/release.sh --print-version
#
#   --version   the release version (default: the root pom's version without -SNAPSHOT)
#   --jar       use this fat jar instead of building one (./mvnw -pl server/app -am package -DskipTests)
#   --out       output folder (default: dist/<version>)
#   --no-image  skip the container image (no dockerd); --no-client skips the JS client
#
# The jar reports the root pom's version (GET /health "version"); a release is made from a commit whose poms say
# <version> (not -SNAPSHOT): anything else is refused unless the pom says <version>-SNAPSHOT, which is only warned.
# Exit codes: 0 done, 1 a step failed, 2 bad arguments.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOCKER=${DOCKER:-/usr/bin/docker}

log() { echo "release: $*" >&2; }
die() { log "$*"; exit 1; }
usage_error() { log "$*"; exit 2; }

pom_version() {
    # The project's own <version>: the first one in the root pom (it has no <parent>).
    sed -n 's:^  <version>\([^<]*\)</version>.*:\1:p' "$REPO/pom.xml" | head -n1
}

version=
jar=
out=
image=1
client=1
while (($#)); do
    case $1 in
        --version) version=${2:?--version needs a value}; shift 2 ;;
        --jar) jar=${2:?--jar needs a path}; shift 2 ;;
        --out) out=${2:?--out needs a folder}; shift 2 ;;
        --no-image) image=0; shift ;;
        --no-client) client=0; shift ;;
        --print-version) v=$(pom_version); echo "${v%-SNAPSHOT}"; exit 0 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) usage_error "unknown option '$1'" ;;
    esac
done

pom=$(pom_version)
[[ -n $pom ]] || die "no <version> found in $REPO/pom.xml"
version=${version:-${pom%-SNAPSHOT}}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] \
    || usage_error "version '$version' is not X.Y.Z (or X.Y.Z-suffix); the tag will be v$version"
out=${out:-$REPO/dist/$version}

if [[ -z $jar ]]; then
    log "building the jar (root pom version $pom)"
    (cd "$REPO" && ./mvnw -B -ntp -q -pl server/app -am package -DskipTests)
    jar=$REPO/server/app/target/switchboard.jar
fi
[[ -f $jar ]] || usage_error "jar not found: $jar"

jar_version=$(unzip -p "$jar" switchboard-version.properties 2>/dev/null | sed -n 's/^version=//p' | tr -d '\r')
if [[ $jar_version == "$version-SNAPSHOT" ]]; then
    log "WARNING: the jar reports version $jar_version; set the poms to $version before tagging v$version"
elif [[ $jar_version != "$version" ]]; then
    die "the jar reports version '${jar_version:-none}', not $version: build it from the poms of v$version"
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)

checksum() {
    # <file>.sha256 beside <file>, checkable with `sha256sum -c` from that folder.
    (cd "$(dirname "$1")" && sha256sum "$(basename "$1")" >"$(basename "$1").sha256")
}

cp "$jar" "$out/switchboard-$version.jar"
checksum "$out/switchboard-$version.jar"
log "jar: $out/switchboard-$version.jar"

if ((client)); then
    client_dir=$REPO/ecosystem/client
    client_version=$(node -p 'require(process.argv[1]).version' "$client_dir/package.json")
    [[ $client_version == "$version" ]] \
        || die "ecosystem/client/package.json says $client_version, not $version: bump it (npm version $version)"
    if [[ ! -x $client_dir/node_modules/.bin/tsc ]]; then
        (cd "$client_dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
    (cd "$client_dir" && npm run --silent build)
    packed=$(cd "$client_dir" && npm pack --silent --pack-destination "$out")
    [[ $packed == "switchboard-client-$version.tgz" ]] || mv "$out/$packed" "$out/switchboard-client-$version.tgz"
    checksum "$out/switchboard-client-$version.tgz"
    log "client: $out/switchboard-client-$version.tgz"
fi

if ((image)); then
    tag=$(bash "$REPO/scripts/build-image.sh" --jar "$jar" --tag "switchboard:$version" | tail -n1)
    "$DOCKER" save -o "$out/switchboard-image-$version.tar" "$tag"
    chmod 0644 "$out/switchboard-image-$version.tar"
    checksum "$out/switchboard-image-$version.tar"
    log "image: $tag, saved as $out/switchboard-image-$version.tar"
fi

log "done: $out (tag the commit v$version)"
