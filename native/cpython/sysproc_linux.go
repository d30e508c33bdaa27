package cpython

import (
	"os/exec"
	"syscall"
)

// detach puts the interpreter in a process group of its own, so that a cancel kills it and
// every worker process it started in one signal, and asks Linux to kill it if this process
// dies (its pool workers set the same on themselves, in the runner).
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return killGroup(cmd) }
}

// killGroup kills the interpreter's process group: the interpreter and its worker processes.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
