//go:build unix && !linux

package main

import "syscall"

// noCoreDumps sets the core file size limit to zero where prctl is not.
func noCoreDumps() error {
	return syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{})
}
