package procpool

import (
	"os"
	"strconv"
	"syscall"
)

// sysProcAttr asks Linux to SIGKILL the worker when its parent dies, even by SIGKILL, when
// nothing runs in the parent to clean up. Go's fork checks the parent is still alive right
// after setting it, so there is no window at start. (Strictly, the signal follows the parent's
// forking thread; Go only ends a thread when a goroutine locked to it exits, which this
// program does not do. stdin reaching EOF stops the worker too, as a second line of defence.)
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// keepStrayFilesHome marks every file this process inherited beyond stdin, stdout and stderr
// close-on-exec, so that a worker gets only the pipes the pool gives it. Go opens its own
// files close-on-exec; a shell, or a program that started this one, may have left others
// open (a redirection, a socket), and a worker would otherwise hold them for its whole life.
func keepStrayFilesHome() {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return // no /proc: nothing to go by; the workers are ours either way
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			syscall.CloseOnExec(fd)
		}
	}
}
