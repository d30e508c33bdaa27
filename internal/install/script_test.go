//go:build linux || darwin

package install

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// These run install.sh as a visitor does, `curl … | sh -s -- ARGS`, against a server holding
// /install.sh and a /download/ folder. The file it downloads is a small sh program standing in
// for the backend: it writes the arguments it was started with, so a test sees what ran. (The
// real release, started by the script from the Worker in workerd, is edge/install_test.go's.)

// site is an origin serving the scripts and dir as /download/.
type site struct {
	url  string
	dir  string // what /download/ serves
	file string // this machine's file name in the release
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{dir: t.TempDir(), file: "concurrency-playground-" + runtime.GOOS + "-" + runtime.GOARCH}
	mux := http.NewServeMux()
	Register(mux)
	mux.Handle(DownloadPrefix, http.StripPrefix(DownloadPrefix, http.FileServer(http.Dir(s.dir))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s.url = srv.URL
	s.publish(t, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$RAN\"\n")
	return s
}

// publish puts program in the release with its sum.
func (s *site) publish(t *testing.T, program string) {
	t.Helper()
	write(t, filepath.Join(s.dir, s.file), program)
	sum := sha256.Sum256([]byte(program))
	write(t, filepath.Join(s.dir, "SHA256SUMS"), hex.EncodeToString(sum[:])+"  "+s.file+"\n"+
		strings.Repeat("0", 64)+"  concurrency-playground-windows-amd64.exe\n")
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// visitor is one machine: its HOME (so its cache), and what the started program recorded.
type visitor struct {
	home, ran string
	path      string // PATH; empty: this machine's
}

func newVisitor(t *testing.T) *visitor {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	return &visitor{home: home, ran: filepath.Join(dir, "ran")}
}

// install runs `curl -fsSL ORIGIN/install.sh | sh -s -- args…` and returns its exit code and
// stderr.
func (v *visitor) install(t *testing.T, origin string, args ...string) (int, string) {
	t.Helper()
	os.Remove(v.ran)
	// sh -c SCRIPT $0 $@…: the origin is $0, the arguments follow.
	cmd := exec.Command("sh", append([]string{"-c", `curl -fsSL "$0/install.sh" | PATH="$TESTPATH" sh -s -- "$@"`, origin}, args...)...)
	path := v.path
	if path == "" {
		path = os.Getenv("PATH")
	}
	cmd.Env = []string{"HOME=" + v.home, "RAN=" + v.ran, "PATH=" + os.Getenv("PATH"), "TESTPATH=" + path}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), stderr.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// started is what the program was started with, or "" when nothing ran.
func (v *visitor) started() string {
	b, _ := os.ReadFile(v.ran)
	return string(b)
}

func TestTheScriptDownloadsChecksCachesAndStartsServeForItsOrigin(t *testing.T) {
	s, v := newSite(t), newVisitor(t)
	code, stderr := v.install(t, s.url, "-addr", "127.0.0.1:9999")
	want := "serve\n-allow-origin\n" + s.url + "\n-addr\n127.0.0.1:9999\n"
	if code != 0 || v.started() != want {
		t.Fatalf("exit %d, started with %q, want %q; stderr:\n%s", code, v.started(), want, stderr)
	}
	cached := filepath.Join(v.home, ".cache", "concurrency-playground", s.file)
	if _, err := os.Stat(cached); err != nil {
		t.Fatalf("nothing cached: %v", err)
	}
	// A rerun downloads only the sums: with the file gone from the site, it still starts.
	if err := os.Remove(filepath.Join(s.dir, s.file)); err != nil {
		t.Fatal(err)
	}
	code, stderr = v.install(t, s.url)
	if want := "serve\n-allow-origin\n" + s.url + "\n"; code != 0 || v.started() != want || !strings.Contains(stderr, "already here") {
		t.Fatalf("rerun: exit %d, started with %q, want %q; stderr:\n%s", code, v.started(), want, stderr)
	}
}

func TestATamperedSumOrFileIsRefusedAndNothingRuns(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, s *site)
	}{
		{"sums", func(t *testing.T, s *site) {
			write(t, filepath.Join(s.dir, "SHA256SUMS"), strings.Repeat("ab", 32)+"  "+s.file+"\n")
		}},
		{"file", func(t *testing.T, s *site) {
			write(t, filepath.Join(s.dir, s.file), "#!/bin/sh\necho tampered > \"$RAN\"\n")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, v := newSite(t), newVisitor(t)
			// First a good install, so that a cached copy is there: a tampered sum must not
			// let the cached file run either.
			if code, stderr := v.install(t, s.url); code != 0 {
				t.Fatalf("the untampered install: exit %d\n%s", code, stderr)
			}
			if tc.name == "file" { // a fresh machine downloads the tampered file
				v = newVisitor(t)
			}
			tc.tamper(t, s)
			code, stderr := v.install(t, s.url)
			if code != 1 || v.started() != "" || !strings.Contains(stderr, "refusing to run "+s.file) {
				t.Errorf("exit %d, started %q; want exit 1, nothing started, a refusal; stderr:\n%s", code, v.started(), stderr)
			}
			if tc.name == "file" {
				left, _ := filepath.Glob(filepath.Join(v.home, ".cache", "concurrency-playground", "concurrency-playground-*"))
				if len(left) != 0 {
					t.Errorf("the refused download was kept: %v", left)
				}
			}
		})
	}
}

// A machine without curl and wget, or of a kind with no build, gets one line and exit 1.
func TestNoDownloaderOrAnUnknownPlatformSaysSoInOneLine(t *testing.T) {
	s := newSite(t)
	noDownloader := toolbox(t, "")
	plan9 := toolbox(t, "#!/bin/sh\necho Plan9\n")
	for _, tc := range []struct {
		name, path, says string
	}{
		{"no curl or wget", noDownloader, "needs curl or wget"},
		{"unknown system", plan9, "no build for Plan9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newVisitor(t)
			v.path = tc.path
			code, stderr := v.install(t, s.url)
			if code != 1 || v.started() != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.says) {
				t.Errorf("exit %d, started %q, stderr %q; want exit 1, nothing started, one line saying %q", code, v.started(), stderr, tc.says)
			}
		})
	}
}

// wget alone does the job curl does.
func TestWgetAloneDownloads(t *testing.T) {
	if _, err := exec.LookPath("wget"); err != nil {
		t.Skip("no wget on this machine")
	}
	s, v := newSite(t), newVisitor(t)
	v.path = toolbox(t, "", "wget")
	if code, stderr := v.install(t, s.url); code != 0 || !strings.HasPrefix(v.started(), "serve\n") {
		t.Fatalf("exit %d, started %q; stderr:\n%s", code, v.started(), stderr)
	}
}

// toolbox is a PATH holding the tools the script uses besides curl and wget (and the extra
// ones named); a non-empty uname replaces uname with that program.
func toolbox(t *testing.T, uname string, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, tool := range append([]string{"sh", "uname", "mkdir", "awk", "rm", "sha256sum", "shasum", "cut", "chmod", "mv", "printf"}, extra...) {
		if p, err := exec.LookPath(tool); err == nil {
			if err := os.Symlink(p, filepath.Join(dir, tool)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if uname != "" {
		os.Remove(filepath.Join(dir, "uname"))
		if err := os.WriteFile(filepath.Join(dir, "uname"), []byte(uname), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
