package cli

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Without -python, serve offers python3 from PATH when there is one, and else says in its log
// how to offer one.
func TestServeOffersPython3FromPATH(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	var log strings.Builder
	logger := slog.New(slog.NewTextHandler(&log, nil))
	ps, logFound, err := offerPythons(nil)
	logFound(logger)
	if err != nil || len(ps) != 0 || !strings.Contains(log.String(), "start with -python PATH") {
		t.Errorf("no python3 on PATH: offered %v, %v; log %q", ps, err, log.String())
	}
	path := os.Getenv("CPYTHON")
	if path == "" {
		path = "/usr/bin/python3" // Debian's, which .ci/run installs
	}
	if err := os.Symlink(path, filepath.Join(dir, "python3")); err != nil {
		t.Fatal(err)
	}
	ps, logFound, err = offerPythons(nil)
	logFound(logger)
	if err != nil || len(ps) != 1 || !strings.HasPrefix(ps[0].ID, "cpython-3.") || !strings.Contains(log.String(), "offering CPython") {
		t.Errorf("python3 on PATH: offered %+v, %v; log %q", ps, err, log.String())
	}
}
