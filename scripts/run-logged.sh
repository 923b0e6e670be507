#!/bin/sh
# usage: scripts/run-logged.sh LOG COMMAND [ARG...]
#
# Runs COMMAND, showing its output and copying it to LOG, and exits with
# COMMAND's own status. (In a POSIX sh, "command | tee log" has tee's
# status, so a command that crashes after printing its summary would look
# like a success.)
set -u
log=$1
shift
{
    "$@" 2>&1
    echo $? > "$log.status"
} | tee "$log"
status=$(cat "$log.status")
rm -f "$log.status"
exit "$status"
