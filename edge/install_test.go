//go:build linux

package edge_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The issue's own check: the Worker in workerd serves /install.sh, and
// `curl -fsSL ORIGIN/install.sh | sh -s -- -addr 127.0.0.1:PORT` with an empty HOME downloads
// the release from the Worker, checks it, and starts a backend that accepts WebSockets from
// the Worker's origin and refuses others. (Tampered sums and files: internal/install.)
func TestTheInstallCommandStartsABackendForTheWorkersPage(t *testing.T) {
	root, _ := paths(t)
	base := startWorker(t, root, releaseAssets(t, root))

	addr := freeAddr(t)
	home := t.TempDir()
	var out lockedBuffer
	cmd := exec.Command("sh", "-c", `curl -fsSL "$0/install.sh" | sh -s -- -addr "$1"`, base, addr)
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := killGroupAtCleanup(t, cmd, "the install command", &out)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for { // until the backend answers (the download is 12 MB from workerd)
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/healthz", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-exited:
			t.Fatalf("the install command ended: %v\n%s", cmd.ProcessState, out.String())
		case <-ctx.Done():
			t.Fatalf("no backend on %s after a minute", addr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Logf("from the command to a backend answering: %v", time.Since(start).Round(time.Millisecond))

	if _, err := os.Stat(filepath.Join(home, ".cache", "concurrency-playground", "concurrency-playground-linux-"+runtime.GOARCH)); err != nil {
		t.Errorf("the binary is not cached in the empty HOME: %v", err)
	}
	for _, tc := range []struct {
		origin string
		ok     bool
	}{{base, true}, {"http://evil.example", false}, {"http://127.0.0.1:1", false}} {
		ws, res, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws", http.Header{"Origin": {tc.origin}})
		if tc.ok {
			if err != nil {
				t.Fatalf("WebSocket from the Worker's origin %s refused: %v", tc.origin, err)
			}
			var hello struct{ Type string }
			if err := ws.ReadJSON(&hello); err != nil || hello.Type != "hello" {
				t.Errorf("from %s: first message %+v, %v; want hello", tc.origin, hello, err)
			}
			ws.Close()
		} else if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
			if ws != nil {
				ws.Close()
			}
			t.Errorf("WebSocket from %s: %v; want 403", tc.origin, err)
		}
	}
}

// releaseAssets is what `make edge` serves: the page and download/. make test-edge built it
// (EDGE_WORKER_DIR-assets, this machine's build alone); a plain `go test` builds this machine's
// release into a temp directory.
func releaseAssets(t *testing.T, root string) string {
	t.Helper()
	if w := os.Getenv("EDGE_WORKER_DIR"); w != "" {
		return filepath.Clean(w) + "-assets"
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, "site", "dist"))); err != nil {
		t.Fatal(err)
	}
	file := "concurrency-playground-" + runtime.GOOS + "-" + runtime.GOARCH
	bin := filepath.Join(dir, "download", file)
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./native")
	build.Dir, build.Env = root, append(os.Environ(), "CGO_ENABLED=0")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the release: %v\n%s", err, b)
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if err := os.WriteFile(filepath.Join(dir, "download", "SHA256SUMS"), []byte(hex.EncodeToString(sum[:])+"  "+file+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// freeAddr is a loopback address nothing listens on just now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
