package main

import "syscall"

// noCoreDumps marks the process not dumpable (prctl PR_SET_DUMPABLE 0):
// no core file, and no other process of the same user may read its
// memory, so a crash or a debugger cannot take the seal's key.
func noCoreDumps() error {
	const prSetDumpable = 4
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0); errno != 0 {
		return errno
	}
	return nil
}
