//go:build !linux

package procpool

import "syscall"

// sysProcAttr: outside Linux there is no parent-death signal; a worker stops when its stdin
// reaches EOF, which the OS makes happen when the parent dies however it dies.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// keepStrayFilesHome: elsewhere there is no /proc/self/fd to list the inherited files by.
func keepStrayFilesHome() {}
