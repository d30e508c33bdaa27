//go:build !unix

package cpython

import "os/exec"

// detach: on Windows the interpreter is killed alone on cancel; its pool workers notice their
// parent's pipes closing and exit.
func detach(cmd *exec.Cmd) {}

func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return cmd.Process.Kill()
}
