#!/bin/bash
# waits for the CPU lock, then runs the cpu-scale calibration; logs when it started and how it ended
cd "$(dirname "$0")"
echo "queued $(date +%T) pid $$" >> cpu/exit.log
flock /tmp/cpu.lock bash -c 'echo "got lock $(date +%T)" >> cpu/exit.log; python calib_cpu.py "$@"' _ "$@"
echo "exit $? at $(date +%T)" >> cpu/exit.log
