#!/usr/bin/env bash
# Single-node Slurm "cluster" on localhost for integration tests.
#   slurm-local.sh install   apt-get the packages if missing (root)
#   slurm-local.sh up        start munged + slurmctld + slurmd, wait until node idle (idempotent)
#   slurm-local.sh down      clean shutdown (scontrol shutdown, then kill by PID)
#   slurm-local.sh status
#   slurm-local.sh env       print `export SLURM_CONF=...` for clients
# Everything lives under $SLURM_LOCAL_DIR (default /tmp/slurm-local); nothing in /etc is touched.
set -euo pipefail

D=${SLURM_LOCAL_DIR:-/tmp/slurm-local}
CTLD_PORT=${SLURM_LOCAL_CTLD_PORT:-6817}
SLURMD_PORT=${SLURM_LOCAL_SLURMD_PORT:-6818}
NODE=${SLURM_LOCAL_NODE:-localhost}       # node name independent of `hostname`
UP_TIMEOUT=${SLURM_LOCAL_UP_TIMEOUT:-60}
export SLURM_CONF="$D/etc/slurm.conf"
MSOCK="$D/munge/run/munge.socket.2"

log() { echo "[slurm-local] $*" >&2; }

# running = exists and not a zombie (PID 1 here may be slow to reap killed daemons)
running() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
# PID from pidfile is running AND really is the daemon we expect (guards against PID reuse)
alive() { # pidfile comm
  local p; p=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$p" ] && running "$p" && [ "$(cat /proc/$p/comm 2>/dev/null)" = "$2" ]
}
stop_pid() { # pidfile comm  -> TERM, wait 10 s, KILL; only ever the PID in our own pidfile
  local p i; alive "$1" "$2" || { rm -f "$1"; return 0; }
  p=$(cat "$1"); kill "$p" 2>/dev/null || true
  for i in $(seq 100); do running "$p" || break; sleep 0.1; done
  running "$p" && { log "KILL $2 $p"; kill -9 "$p" 2>/dev/null || true; sleep 0.2; }
  rm -f "$1"
}
port_busy() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

cmd_install() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null \
    && command -v munged >/dev/null && return 0
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    slurmctld slurmd slurm-client munge >/dev/null
}

node_state() { sinfo -h -n "$NODE" -o '%T' 2>/dev/null | head -1; }

# Up = our three daemons run and the node is usable. Busy (mixed/allocated/completing) counts as
# up, so a second caller does not restart the cluster under another test's running jobs.
is_up() {
  alive "$D/munge/run/munged.pid" munged && alive "$D/run/slurmctld.pid" slurmctld \
    && alive "$D/run/slurmd.pid" slurmd \
    && case "$(node_state)" in idle|mixed|allocated|completing) true ;; *) false ;; esac
}

write_conf() {
  # CPUs/RealMemory as slurmd itself detects them (a node configured with more than it has is drained)
  local hw; hw=$(slurmd -C | head -1 | sed -e 's/^NodeName=[^ ]* //')
  cat > "$SLURM_CONF" <<EOF
ClusterName=localtest
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MSOCK
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$D/log/jobcomp.txt
MinJobAge=600
SlurmdTimeout=30
NodeName=$NODE NodeHostname=localhost NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

dump_logs() { for f in "$D"/munge/log/munged.log "$D"/log/slurmctld.log "$D"/log/slurmd.log; do
  [ -f "$f" ] && { echo "---- $f" >&2; tail -n 30 "$f" >&2; }; done; }

cmd_up() {
  [ "$(id -u)" = 0 ] || { log "must run as root (slurmd launches jobs as the submitting user)"; exit 1; }
  if is_up; then log "already up"; return 0; fi
  # Something is half-up or left over from an unclean kill: stop what is ours, clear stale files.
  stop_pid "$D/run/slurmd.pid" slurmd
  stop_pid "$D/run/slurmctld.pid" slurmctld
  stop_pid "$D/munge/run/munged.pid" munged
  rm -f "$MSOCK" "$MSOCK.lock"
  # Fresh controller state: otherwise jobs of a killed run are recovered and re-run.
  # (Keep spool/: the new slurmd finds orphaned slurmstepds there and the controller kills them.)
  [ "${SLURM_LOCAL_KEEP_STATE:-0}" = 1 ] || rm -rf "$D/state"
  for p in "$CTLD_PORT" "$SLURMD_PORT"; do
    port_busy "$p" && { log "port $p on 127.0.0.1 already in use (another slurm?)"; exit 1; }
  done

  mkdir -p "$D"/{etc,state,spool,run,log} "$D"/munge/{etc,run,lib,log}
  chmod 755 "$D" "$D/munge" "$D/munge/run"          # munged: socket dir must be o+x
  chmod 700 "$D/munge/etc" "$D/munge/lib" "$D/munge/log"
  [ -s "$D/munge/etc/munge.key" ] || mungekey -c -k "$D/munge/etc/munge.key"
  chmod 400 "$D/munge/etc/munge.key"
  munged --key-file="$D/munge/etc/munge.key" --socket="$MSOCK" \
         --pid-file="$D/munge/run/munged.pid" --log-file="$D/munge/log/munged.log" \
         --seed-file="$D/munge/lib/munged.seed" 9>&-   # 9>&-: daemons must not inherit the lock fd
  munge -S "$MSOCK" -n | unmunge -S "$MSOCK" >/dev/null || { dump_logs; exit 1; }

  write_conf
  slurmctld 9>&-            # daemonizes; reads SLURM_CONF
  slurmd -N "$NODE" 9>&-    # -N: node name does not have to be `hostname -s`
  local t=0 s=""
  while [ $t -lt $((UP_TIMEOUT * 10)) ]; do
    s=$(node_state)
    case "$s" in
      idle) log "up: node $NODE idle ($SLURM_CONF)"; return 0 ;;
      down*|drain*|*fail*) scontrol update nodename="$NODE" state=resume 2>/dev/null || true ;;
    esac
    sleep 0.1; t=$((t + 1))
  done
  log "node not idle after ${UP_TIMEOUT}s (state='$s')"; dump_logs; exit 1
}

cmd_down() {
  if alive "$D/run/slurmctld.pid" slurmctld; then
    # slurmd's shutdown leaves running jobs alone: cancel them first
    scancel -p debug >/dev/null 2>&1 || true
    local j; for j in $(seq 100); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.1; done
    scontrol shutdown >/dev/null 2>&1 || true   # stops slurmctld and all slurmd
    local i; for i in $(seq 100); do
      alive "$D/run/slurmctld.pid" slurmctld || alive "$D/run/slurmd.pid" slurmd || break; sleep 0.1; done
  fi
  stop_pid "$D/run/slurmd.pid" slurmd
  stop_pid "$D/run/slurmctld.pid" slurmctld
  stop_pid "$D/munge/run/munged.pid" munged
  rm -f "$MSOCK" "$MSOCK.lock"
  [ "${1:-}" = --purge ] && rm -rf "$D"
  log "down"
}

# Serialize up/down (test runners may start several workers at once).
lock() { mkdir -p "$(dirname "$D")"; exec 9>"$D.lock"; flock -w 120 9 || { log "lock timeout"; exit 1; }; }

case "${1:-}" in
  install) cmd_install ;;
  up) lock; cmd_up ;;
  down) lock; cmd_down "${2:-}" ;;
  status) if is_up; then echo up; else echo down; exit 1; fi ;;
  env) echo "export SLURM_CONF=$SLURM_CONF" ;;
  *) echo "usage: $0 install|up|down [--purge]|status|env" >&2; exit 2 ;;
esac
