//go:build unix

package server

import "syscall"

// raiseFileLimit: a thousand sockets are two thousand descriptors in this one process (both
// ends), more than some systems' default soft limit.
func raiseFileLimit() {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < 8192 && lim.Max > lim.Cur {
		lim.Cur = min(lim.Max, 8192)
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}
