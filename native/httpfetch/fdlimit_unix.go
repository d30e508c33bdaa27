//go:build unix

package httpfetch

import "syscall"

// fileLimit is the process's limit on open files. Go raises the soft limit to the hard one as
// it starts, so this is what the process may really open.
func fileLimit() int {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil || l.Cur > 1<<20 {
		return 1 << 20
	}
	return int(l.Cur)
}
