package procpool

import "syscall"

// sysProcAttr asks Linux to SIGKILL the worker when its parent dies, even by SIGKILL, when
// nothing runs in the parent to clean up. Go's fork checks the parent is still alive right
// after setting it, so there is no window at start. (Strictly, the signal follows the parent's
// forking thread; Go only ends a thread when a goroutine locked to it exits, which this
// program does not do. stdin reaching EOF stops the worker too, as a second line of defence.)
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
