//go:build linux

// The built Worker in workerd on loopback: the page, /api/info, and the farm table that the
// native farm passes too (internal/farm/farmtest). make test-edge runs these against `make
// edge`'s output (EDGE_WORKER_DIR); a plain `go test` builds the Worker into a temp directory.
package edge_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"concurrency-playground/edge"
	"concurrency-playground/internal/farm/farmtest"
	"concurrency-playground/internal/protocol"
)

// pageMarker is in the built page's HTML: one of its stable test hooks (data-testid). Not the
// form's: its fields are written by the page's script (site/src/form/form.ts).
const pageMarker = `data-testid="timeline"`

func TestWorkerInWorkerd(t *testing.T) {
	root, dist := paths(t)
	base := startWorker(t, root, dist)
	c := farmtest.Client()
	defer c.CloseIdleConnections()

	t.Run("page", func(t *testing.T) { checkPage(t, c, base, dist) })
	t.Run("api/info says edge", func(t *testing.T) {
		res, body := get(t, c, base+"/api/info")
		var info protocol.Info
		if err := json.Unmarshal(body, &info); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/info: %d %v in %q", res.StatusCode, err, body)
		}
		if info.Where != "edge" || info.OS != "js" || info.Arch != "wasm" || info.Protocol != protocol.Protocol {
			t.Errorf("info = %+v, want where edge, js/wasm, protocol %d", info, protocol.Protocol)
		}
		if info.Variants == nil || len(info.Variants) != 0 {
			t.Errorf("variants = %#v, want [] (the browser variants run in the visitor's browser)", info.Variants)
		}
	})
	t.Run("healthz", func(t *testing.T) {
		if res, body := get(t, c, base+"/healthz"); res.StatusCode != http.StatusOK || string(body) != "ok\n" {
			t.Errorf("GET /healthz: %d %q, want 200 ok", res.StatusCode, body)
		}
	})
	t.Run("unknown path reaches Go and is 404", func(t *testing.T) {
		if res, _ := get(t, c, base+"/no-such-page"); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET /no-such-page: %d, want 404", res.StatusCode)
		}
	})
	t.Run("farm", func(t *testing.T) { farmtest.Run(t, base) })
	t.Run("the page refuses frames, the embed does not", func(t *testing.T) { checkFraming(t, c, base) })
}

// checkFraming: as Cloudflare's static assets would from the build's _headers file, every page
// refuses frames from other origins, by whatever path it was named, and /embed, made to be
// framed, says nothing of frames; every file is public (a sandboxed embed fetches them with
// CORS); _headers itself is not served, and no path lists site/dist.
func checkFraming(t *testing.T, c *http.Client, base string) {
	for _, tt := range []struct {
		path    string
		refuses bool
	}{
		{"/", true},
		{"/?preset=cpu_mp&workers=64", true},
		{"/index", true},
		{"/index.html", true},
		{"/%69ndex.html", true},
		{"/%69ndex", true},
		{"/embed", false},
		{"/embed.html", false},
		{"/%65mbed", false},
		{"/embed?preset=cpu_mp", false},
		{"/embed.js", true},
	} {
		res, _ := get(t, c, base+tt.path)
		csp, xfo := res.Header.Get("Content-Security-Policy"), res.Header.Get("X-Frame-Options")
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", tt.path, res.StatusCode)
		}
		if acao := res.Header.Get("Access-Control-Allow-Origin"); acao != "*" {
			t.Errorf("GET %s: Access-Control-Allow-Origin %q, want * (the page's files are public)", tt.path, acao)
		}
		if tt.refuses && (csp != "frame-ancestors 'self'" || xfo != "SAMEORIGIN") {
			t.Errorf("GET %s: Content-Security-Policy %q, X-Frame-Options %q; want frame-ancestors 'self' and SAMEORIGIN", tt.path, csp, xfo)
		}
		if !tt.refuses && (csp != "" || xfo != "") {
			t.Errorf("GET %s: Content-Security-Policy %q, X-Frame-Options %q; want neither (it is framable)", tt.path, csp, xfo)
		}
	}
	for _, p := range []string{"/_headers", "/%5fheaders"} {
		if res, _ := get(t, c, base+p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404: the rules are not an asset", p, res.StatusCode)
		}
	}
	// "//" once reached workerd's disk service as another host's root, and it answered with a
	// JSON listing of site/dist. These reach the page at most (Go's mux redirects "//" to "/"),
	// and the page refuses frames.
	for _, p := range []string{"//", "//index.html", "/.//", "//embed.html/"} {
		res, body := get(t, c, base+p)
		if bytes.Contains(body, []byte(`"name"`)) || bytes.Contains(body, []byte("embed.js")) && !bytes.HasPrefix(body, []byte("<!doctype")) {
			t.Errorf("GET %s: %d %.200q lists site/dist", p, res.StatusCode, body)
		}
		if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && res.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("GET %s: a page without frame headers", p)
		}
	}
}

// checkPage: "/" is the built page, each page is served at its extensionless path (as
// Cloudflare's default html_handling does), and its files come with the types a browser
// insists on (module scripts and WebAssembly.instantiateStreaming refuse others).
func checkPage(t *testing.T, c *http.Client, base, dist string) {
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil {
		t.Fatalf("the page is not built (%v): run `make site` first (make test-edge does)", err)
	}
	res, body := get(t, c, base+"/")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %q, want 200 text/html", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !bytes.Contains(body, []byte(pageMarker)) {
		t.Errorf("GET / is not the playground: no %s in %.200q", pageMarker, body)
	}
	want := map[string]string{".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm"}
	fs.WalkDir(os.DirFS(dist), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		url, typ := "/"+p, want[filepath.Ext(p)]
		switch {
		case p == "index.html":
			url, typ = "/", "text/html"
		case filepath.Ext(p) == ".html" && !strings.Contains(p, "/"):
			url, typ = "/"+strings.TrimSuffix(p, ".html"), "text/html" // /embed is embed.html
		case typ == "":
			return nil
		default:
			delete(want, filepath.Ext(p)) // one file of each other kind is enough
		}
		res, body := get(t, c, base+url)
		disk, _ := os.ReadFile(filepath.Join(dist, p))
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), typ) || !bytes.Equal(body, disk) {
			t.Errorf("GET %s: %d %q, %d bytes; want 200 %s and %s's %d bytes",
				url, res.StatusCode, res.Header.Get("Content-Type"), len(body), typ, p, len(disk))
		}
		return nil
	})
	if len(want) == 3 {
		t.Errorf("site/dist has no script, style sheet or wasm: is it the built page?")
	}
}

func get(t *testing.T, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", url, err)
	}
	return res, body
}

// paths are the repository's root and the page's directory.
func paths(t testing.TB) (root, dist string) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root, filepath.Join(root, "site", "dist")
}

// startWorker runs the Worker in workerd and returns its origin; workerd's whole process group
// is killed when the test ends. workerd listens on a socket the test opened itself
// (--socket-fd), so there is no window in which another process could take the port.
func startWorker(t testing.TB, root, dist string) string {
	t.Helper()
	base, _ := startWorkerd(t, root, dist, false)
	return base
}

// startWorkerd is startWorker, and with baseline the trivial JavaScript Worker (baseline.mjs)
// in the same workerd on a second socket, whose origin it returns too.
func startWorkerd(t testing.TB, root, dist string, baseline bool) (base, baselineBase string) {
	t.Helper()
	workerd, err := edge.Workerd(root)
	if err != nil {
		t.Fatal(err) // never a skip: the edge is part of `make test`
	}
	worker := os.Getenv("EDGE_WORKER_DIR")
	if worker == "" {
		worker = t.TempDir()
		if err := edge.Build(root, worker); err != nil {
			t.Fatal(err)
		}
	}
	if err := edge.CheckWorker(worker); err != nil {
		t.Fatal(err)
	}
	conf := edge.Config{WorkerDir: worker, AssetsDir: dist, Addr: "127.0.0.1:0"}
	args := []string{"serve", "", "--socket-fd", "http=3"}
	sock, base := listen(t)
	socks := []*os.File{sock}
	if baseline {
		conf.BaselineAddr = "127.0.0.1:0"
		args = append(args, "--socket-fd", "baseline=4")
		var s *os.File
		s, baselineBase = listen(t)
		socks = append(socks, s)
	}
	if args[1], err = edge.WriteConfig(t.TempDir(), conf); err != nil {
		t.Fatal(err)
	}

	var out lockedBuffer
	cmd := exec.Command(workerd, args...)
	cmd.ExtraFiles = socks // fd 3, 4
	cmd.Stdout, cmd.Stderr = &out, &out
	// Its own process group, killed as a whole; and killed with the test binary if that dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", workerd, err)
	}
	for _, s := range socks {
		s.Close()
	}
	exited := killGroupAtCleanup(t, cmd, "workerd", &out)

	// workerd compiles the wasm at start-up; the listener queues requests until then.
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	defer c.CloseIdleConnections()
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case <-exited:
			t.Fatalf("workerd exited before answering: %v\n%s", cmd.ProcessState, out.String())
		default:
		}
		res, err := c.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return base, baselineBase
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		if time.Now().After(deadline) {
			t.Fatalf("workerd did not answer GET /healthz within 15s: %v\n%s", err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// listen opens a loopback socket for workerd (--socket-fd) and returns it with its origin.
func listen(t testing.TB) (*os.File, string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sock, err := ln.(*net.TCPListener).File()
	ln.Close() // sock is a duplicate: the socket stays open and listening for workerd
	if err != nil {
		t.Fatal(err)
	}
	return sock, "http://" + ln.Addr().String()
}

// killGroupAtCleanup reaps cmd (started in a process group of its own) as it ends, and kills
// its whole group when the test ends, logging what it wrote if the test failed. The channel
// closes when cmd has exited.
func killGroupAtCleanup(t testing.TB, cmd *exec.Cmd, name string, out *lockedBuffer) <-chan struct{} {
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		if t.Failed() {
			t.Logf("%s's output:\n%s", name, out.String())
		}
	})
	return exited
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
