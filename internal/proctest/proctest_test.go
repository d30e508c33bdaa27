package proctest

import (
	"io"
	"os"
	"os/exec"
	"slices"
	"testing"
)

// TestMain: the test binary re-executed with PROCTEST_CHILD=1 is a child that lives until its
// stdin ends, on every system (there is no `sleep` on Windows).
func TestMain(m *testing.M) {
	if os.Getenv("PROCTEST_CHILD") == "1" {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestAChildIsListedAliveThenGoneOnceItExits(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PROCTEST_CHILD=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	if _, ok := Children(os.Getpid())[pid]; !ok || !Alive(pid) {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child %d: not listed or not alive", pid)
	}
	stdin.Close() // the child exits on EOF, as a pool's worker does
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if Alive(pid) || slices.Contains(keys(Children(os.Getpid())), pid) {
		t.Errorf("child %d: still alive or listed once reaped", pid)
	}
}

func keys(m map[int]byte) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	return out
}
