# Sourced by ./osmosis and .ci/run: puts a JDK >= 21 in JAVA_HOME or explains that none exists.
# Order: $JAVA_HOME, then the system's JVM folder (/usr/lib/jvm), newest first.

osmosis_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

osmosis_find_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(osmosis_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME
      return 0
    fi
    echo "osmosis: JAVA_HOME=$JAVA_HOME is Java $major; looking for a JDK >= 21 in /usr/lib/jvm" >&2
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(osmosis_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "osmosis: no JDK 21 or newer found (checked \$JAVA_HOME and /usr/lib/jvm)." >&2
  echo "osmosis: install one (e.g. Temurin 21+) and set JAVA_HOME to it." >&2
  return 1
}
