//go:build unix && !linux

package cpython

import (
	"os/exec"
	"syscall"
)

// detach puts the interpreter in a process group of its own, so that a cancel kills it and
// every worker process it started in one signal (Linux's parent-death signal has no
// equivalent here: a worker whose parent died reads EOF on its pool's pipe and exits).
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd) }
}

func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
