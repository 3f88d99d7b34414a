#!/usr/bin/env bash
# Finds a JDK 25 or newer, exports JAVA_HOME and puts its bin first on PATH; checks for Maven.
#
# The other scripts source it: `source scripts/jdk.sh`. Run on its own, it prints the JDK it
# picked. Order: JAVA_HOME if it is a JDK 25 or newer, else the newest such JDK under /usr/lib/jvm.
# GEVENT_JDK_SEARCH_ROOT replaces /usr/lib/jvm; it exists so that the search can be tested.

gevent_required=25

# Prints the feature release (17, 21, 25...) of the JDK in directory $1; nothing if it has no java.
gevent_jdk_major() {
    local version
    [[ -x "$1/bin/java" ]] || return 0
    # The first line reads like: openjdk version "25.0.3" 2026-04-21 (Java 8 and older: "1.8.0_402").
    version=$("$1/bin/java" -version 2>&1 | sed -n '1s/^[^"]*"\([^"]*\)".*/\1/p')
    version=${version#1.}
    version=${version%%[.+_-]*}
    if [[ "$version" =~ ^[0-9]+$ ]]; then
        echo "$version"
    fi
}

gevent_jdk=""
gevent_seen=()
if [[ -n "${JAVA_HOME:-}" ]]; then
    gevent_major=$(gevent_jdk_major "$JAVA_HOME")
    gevent_seen+=("JAVA_HOME=$JAVA_HOME (${gevent_major:-no bin/java})")
    if [[ -n "$gevent_major" ]] && (( gevent_major >= gevent_required )); then
        gevent_jdk=$JAVA_HOME
    fi
fi
if [[ -z "$gevent_jdk" ]]; then
    gevent_best=0
    for gevent_dir in "${GEVENT_JDK_SEARCH_ROOT:-/usr/lib/jvm}"/*; do
        gevent_major=$(gevent_jdk_major "$gevent_dir")
        [[ -n "$gevent_major" ]] || continue
        gevent_seen+=("$gevent_dir ($gevent_major)")
        if (( gevent_major >= gevent_required && gevent_major > gevent_best )); then
            gevent_jdk=$gevent_dir
            gevent_best=$gevent_major
        fi
    done
fi

gevent_error=""
if [[ -z "$gevent_jdk" ]]; then
    gevent_found="no JDK"
    if (( ${#gevent_seen[@]} > 0 )); then
        gevent_found=$(printf '%s, ' "${gevent_seen[@]}")
        gevent_found=${gevent_found%, }
    fi
    gevent_error="gevent for Java needs a JDK $gevent_required or newer; found: $gevent_found; set JAVA_HOME to a JDK $gevent_required or newer"
else
    export JAVA_HOME=$gevent_jdk
    export PATH="$JAVA_HOME/bin:$PATH"
    # Maven's own libraries use sun.misc.Unsafe, which JDK 25 warns about on every build.
    export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow${MAVEN_OPTS:+ $MAVEN_OPTS}"
    if ! command -v mvn > /dev/null 2>&1; then
        gevent_error="gevent for Java builds with Maven, and mvn is not on PATH; install Maven 3.8 or newer (Debian: apt-get install maven)"
    fi
fi

unset -f gevent_jdk_major
unset gevent_required gevent_jdk gevent_seen gevent_major gevent_best gevent_dir gevent_found
if [[ -n "$gevent_error" ]]; then
    echo "$gevent_error" >&2
    unset gevent_error
    # Sourced, the caller gets the failure (and its set -e ends it); run on its own, exit.
    return 1 2> /dev/null || exit 1
fi
unset gevent_error
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    echo "JAVA_HOME=$JAVA_HOME"
fi
