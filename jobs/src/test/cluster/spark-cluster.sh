#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1, built from the project's own Maven dependencies: one
# Master and two Workers (1 core each), every executor in its own JVM. The cluster tests use it
# (jobs/src/test/java/io/neuroscope/jobs/ClusterIT.java); you can use it to try spark-submit by hand.
#
#   spark-cluster.sh start DIR [--port 7077] [--webui-port 8080] [--workers 2] [--worker-memory 2g]
#   spark-cluster.sh submit DIR [spark-submit options] JAR [arguments]
#       SparkSubmit in client mode against DIR's cluster, in this process (exec); DRIVER_MEMORY (1g)
#   spark-cluster.sh stop DIR
#   spark-cluster.sh run DIR [options as for start]
#       start, print "ready <master URL>", then stop when standard input closes (or says "stop") or on
#       TERM/INT. A test starts it as a child and keeps its stdin open: if the test JVM dies in any
#       way the pipe closes and the cluster goes with it.
#
# Every JVM (daemons, executors, drivers) runs C1 only with the serial collector
# (SPARK_CLUSTER_JAVA_OPTS, default "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"): short jobs on a small
# shared machine measured 1.5-2x faster end to end than with C2 and G1. Tasks do not wait for locality.
#
# SPARK_HOME is jobs/target/spark-home: its jars/ are links to the jars of the build's own classpath
# (jobs/target/launcher/classpath.txt, Spark at the project's ${spark.version}) minus what the
# spark-submit jar bundles (ours, Delta, the webjars), so the cluster provides Spark and the job jar
# brings the rest, as on a real cluster. Built with `mvn -DskipTests package` if missing.
#
# Everything the cluster writes stays in DIR: conf/ (spark-defaults.conf, log4j2.properties), logs/
# (master and workers), work/ (executor folders and logs), tmp/ (java.io.tmpdir of every JVM) and
# local/ (SPARK_LOCAL_DIRS, spark.local.dir). stop ends every process of the cluster (the daemons'
# process groups, which hold their executors, then any process whose command line names DIR, such as
# a driver started by submit) and deletes tmp/, local/ and the jars copied into work/; logs stay.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
LAUNCHER="$ROOT/jobs/target/launcher"
SPARK_HOME="$ROOT/jobs/target/spark-home"
SUBMIT_JAR_GLOB="$ROOT/jobs/target/neuroscope-jobs-*-spark-submit.jar"
CLUSTER_JAVA_OPTS="${SPARK_CLUSTER_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

log() { echo "spark-cluster: $*" >&2; }

# ---- SPARK_HOME ------------------------------------------------------------------------------

ensure_built() {
  # shellcheck disable=SC2086
  if [ ! -f "$LAUNCHER/classpath.txt" ] || [ ! -f "$LAUNCHER/jvm-options.txt" ] || ! ls $SUBMIT_JAR_GLOB >/dev/null 2>&1; then
    log "building (mvn -B -q -DskipTests package) ..."
    (cd "$ROOT" && mvn -B -q -DskipTests package >&2)
  fi
}

ensure_spark_home() {
  ensure_built
  local marker="$SPARK_HOME/jars/.from-classpath"
  if [ -f "$marker" ] && [ "$marker" -nt "$LAUNCHER/classpath.txt" ]; then return; fi
  rm -rf "$SPARK_HOME/jars"
  mkdir -p "$SPARK_HOME/jars"
  local jar n=0
  while IFS= read -r jar; do
    [ -n "$jar" ] || continue
    case "$jar" in
      */io/delta/*|*/org/webjars/*|*/neuroscope-*) continue ;; # bundled in the spark-submit jar
      *.jar) ln -s "$jar" "$SPARK_HOME/jars/$(basename "$jar")"; n=$((n + 1)) ;;
    esac
  done < <(tr ':' '\n' < "$LAUNCHER/classpath.txt")
  ls "$SPARK_HOME"/jars/spark-core_2.13-*.jar >/dev/null
  touch "$marker"
  log "SPARK_HOME $SPARK_HOME: $n jars"
}

# ---- one cluster folder ----------------------------------------------------------------------

set_dir() {
  [ -n "${1:-}" ] || usage
  mkdir -p "$1"
  DIR="$(cd "$1" && pwd)"
}

environment() {
  export SPARK_HOME SPARK_CONF_DIR="$DIR/conf" SPARK_SCALA_VERSION=2.13
  export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1 SPARK_LOCAL_DIRS="$DIR/local"
  JVM_OPTS="$(cat "$LAUNCHER/jvm-options.txt") $CLUSTER_JAVA_OPTS"
  CLASSPATH_ARG="$DIR/conf:$SPARK_HOME/jars/*"
}

write_conf() {
  mkdir -p "$DIR/conf" "$DIR/logs" "$DIR/work" "$DIR/tmp" "$DIR/local" "$DIR/pids"
  cat > "$DIR/conf/spark-defaults.conf" <<EOF
spark.master                          $MASTER_URL
spark.submit.deployMode               client
spark.driver.host                     127.0.0.1
spark.driver.bindAddress              127.0.0.1
spark.local.dir                       $DIR/local
spark.executor.extraJavaOptions       -Djava.io.tmpdir=$DIR/tmp $CLUSTER_JAVA_OPTS
spark.locality.wait                   0
spark.sql.extensions                  io.delta.sql.DeltaSparkSessionExtension
spark.sql.catalog.spark_catalog       org.apache.spark.sql.delta.catalog.DeltaCatalog
spark.ui.showConsoleProgress          false
EOF
  cat > "$DIR/conf/log4j2.properties" <<'EOF'
# The test cluster's logging (daemons, executors and drivers): warnings, plus the lines that say
# what the cluster did: NeuroScope's progress, executors launched and lost, tasks started, lost and rerun.
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
logger.neuroscope.name = io.neuroscope
logger.neuroscope.level = info
logger.deploy.name = org.apache.spark.deploy
logger.deploy.level = info
logger.tasks.name = org.apache.spark.scheduler.TaskSetManager
logger.tasks.level = info
logger.parquet.name = org.apache.parquet
logger.parquet.level = error
EOF
}

# GET http://127.0.0.1:PORT/PATH with bash alone (no curl needed).
http_get() {
  local port=$1 path=$2
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
  cat <&3 || true
  exec 3<&- 3>&-
}

alive_workers() {
  http_get "$WEBUI_PORT" /json/ | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || echo 0
}

# Starts a JVM in its own session and process group (its pgid is its pid), so that stop can end it
# with all its children (a Worker's executors) even if it has died and left them.
daemon() {
  local name=$1 memory=$2
  shift 2
  # shellcheck disable=SC2086
  setsid java $JVM_OPTS -Xmx"$memory" -Djava.io.tmpdir="$DIR/tmp" -cp "$CLASSPATH_ARG" "$@" \
    > "$DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$DIR/pids/$name"
}

# While starting: fails (and stops what started) if a daemon has exited or the deadline has passed; else waits a little.
check_started() {
  local deadline=$1 message=$2 f
  for f in "$DIR"/pids/*; do
    if ! kill -0 "$(cat "$f")" 2>/dev/null; then
      log "$(basename "$f") exited while starting; the end of its log:"
      tail -n 30 "$DIR/logs/$(basename "$f").log" >&2
      stop
      exit 1
    fi
  done
  if [ $SECONDS -ge "$deadline" ]; then
    log "$message"
    stop
    exit 1
  fi
  sleep 0.2
}

start() {
  local port=7077 webui=8080 workers=2 memory=2g
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port=$2; shift 2 ;;
      --webui-port) webui=$2; shift 2 ;;
      --workers) workers=$2; shift 2 ;;
      --worker-memory) memory=$2; shift 2 ;;
      *) usage ;;
    esac
  done
  if [ -n "$(ls "$DIR/pids" 2>/dev/null)" ]; then
    log "$DIR has a cluster already (pids/); stop it first"
    exit 1
  fi
  ensure_spark_home
  environment
  MASTER_URL="spark://127.0.0.1:$port"
  WEBUI_PORT=$webui
  write_conf
  printf 'MASTER_URL=%s\nWEBUI_PORT=%s\n' "$MASTER_URL" "$WEBUI_PORT" > "$DIR/cluster.env"
  local started=$SECONDS
  daemon master 512m org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$webui"
  # Workers started before the Master listens wait 5-10 s to retry: start them once it answers.
  local deadline=$((SECONDS + 90))
  until http_get "$webui" /json/ | grep -q '"status" *: *"ALIVE"'; do
    check_started "$deadline" "the Master did not answer at http://127.0.0.1:$webui/json/ in 90 s"
  done
  local i
  for i in $(seq 1 "$workers"); do
    daemon "worker-$i" 512m org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
      --cores 1 --memory "$memory" --work-dir "$DIR/work/worker-$i" "$MASTER_URL"
  done
  until [ "$(alive_workers)" = "$workers" ]; do
    check_started "$deadline" "the Master at http://127.0.0.1:$webui/json/ did not report $workers workers in 90 s"
  done
  log "up in $((SECONDS - started)) s: $MASTER_URL, $workers workers, UI http://127.0.0.1:$webui/"
}

# The pids of this shell and its ancestors, which stop must not kill (their command lines name DIR).
ancestors() {
  local pid=$$
  while [ "$pid" -gt 1 ] 2>/dev/null; do
    echo "$pid"
    pid=$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null || echo 0)
  done
  [ -n "${BASHPID:-}" ] && echo "$BASHPID"
}

# Processes other than ours whose command line names DIR: executors and drivers left behind.
strays() {
  local keep p
  keep=" $(ancestors | tr '\n' ' ') "
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    case "$keep" in *" $p "*) continue ;; esac
    if tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$DIR/"; then echo "$p"; fi
  done
}

stop() {
  local f pid groups=()
  for f in "$DIR"/pids/worker-* "$DIR"/pids/master; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    groups+=("$pid")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  local deadline=$((SECONDS + 15)) left
  while :; do
    left=0
    for pid in "${groups[@]}"; do
      if kill -0 -- "-$pid" 2>/dev/null; then left=1; fi
    done
    [ $left = 1 ] && [ $SECONDS -lt $deadline ] || break
    sleep 0.2
  done
  for pid in "${groups[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  local strays
  strays=$(strays)
  if [ -n "$strays" ]; then
    log "ending processes left in $DIR: $(echo $strays)"
    # shellcheck disable=SC2086
    kill -KILL $strays 2>/dev/null || true
  fi
  rm -rf "$DIR/pids" "$DIR/tmp" "$DIR/local"
  [ -d "$DIR/work" ] && find "$DIR/work" -name '*.jar' -type f -delete
  log "stopped ($DIR)"
}

submit() {
  [ -f "$DIR/cluster.env" ] || { log "no cluster in $DIR (start one first)"; exit 1; }
  # shellcheck disable=SC1091
  . "$DIR/cluster.env"
  ensure_spark_home
  environment
  mkdir -p "$DIR/tmp" "$DIR/local"
  # shellcheck disable=SC2086
  exec java $JVM_OPTS -Xmx"${DRIVER_MEMORY:-1g}" -Djava.io.tmpdir="$DIR/tmp" -cp "$CLASSPATH_ARG" \
    org.apache.spark.deploy.SparkSubmit --master "$MASTER_URL" --deploy-mode client "$@"
}

run() {
  trap 'stop' EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  start "$@"
  echo "ready $MASTER_URL"
  local line
  while IFS= read -r line; do
    [ "$line" = stop ] && break
  done
}

command=${1:-}
[ $# -ge 2 ] || usage
set_dir "$2"
shift 2
case "$command" in
  start) start "$@" ;;
  run) run "$@" ;;
  submit) submit "$@" ;;
  stop) stop ;;
  *) usage ;;
esac
