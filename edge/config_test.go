package edge

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestWorkerdMissingSaysHowToInstall(t *testing.T) {
	_, err := Workerd(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Fatalf("Workerd in an empty tree: %v, want an error saying to run npm ci", err)
	}
}

func TestCheckWorkerNamesTheMissingFile(t *testing.T) {
	dir := t.TempDir()
	for _, f := range WorkerFiles[:3] {
		os.WriteFile(filepath.Join(dir, f), nil, 0o644)
	}
	if err := CheckWorker(dir); err == nil || !strings.Contains(err.Error(), "app.wasm is missing") {
		t.Fatalf("CheckWorker without app.wasm: %v, want it named", err)
	}
}

func TestWriteConfigEmbedsRelativeToTheConfig(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "cfg")
	os.Mkdir(dir, 0o755)
	config, err := WriteConfig(dir, Config{WorkerDir: filepath.Join(root, "worker"), AssetsDir: filepath.Join(root, "dist"), Addr: "127.0.0.1:8787"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(config)
	text := string(b)
	// workerd resolves an absolute embed against its import path, not the file system.
	for _, want := range []string{
		`embed "../worker/worker.mjs"`, `wasm = embed "../worker/app.wasm"`, `embed "entry.mjs"`,
		`address = "127.0.0.1:8787"`, `path = "` + filepath.Join(root, "dist") + `"`,
		`compatibilityDate = "` + CompatibilityDate() + `"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("config lacks %s:\n%s", want, text)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "entry.mjs")); err != nil {
		t.Errorf("entry.mjs not written next to the config: %v", err)
	}
	if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(CompatibilityDate()) {
		t.Errorf("CompatibilityDate() = %q, want YYYY-MM-DD from wrangler.toml", CompatibilityDate())
	}
}

// wrangler.toml must point at what `make edge` and `make build` write.
func TestWranglerPointsAtTheBuild(t *testing.T) {
	for _, want := range []string{`main = "dist/worker.mjs"`, `directory = "dist-assets"`} {
		if !strings.Contains(string(wrangler), want) {
			t.Errorf("wrangler.toml lacks %s", want)
		}
	}
}

// The bench's trivial JavaScript Worker is in the config only when asked for.
func TestWriteConfigAddsTheBaselineOnlyWhenAsked(t *testing.T) {
	for _, addr := range []string{"", "127.0.0.1:8788"} {
		dir := t.TempDir()
		config, err := WriteConfig(dir, Config{WorkerDir: dir, AssetsDir: dir, Addr: "127.0.0.1:8787", BaselineAddr: addr})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(config)
		_, statErr := os.Stat(filepath.Join(dir, "baseline.mjs"))
		has := strings.Contains(string(b), `(name = "baseline", address = "127.0.0.1:8788", http = (), service = "baseline")`) &&
			strings.Contains(string(b), `embed "baseline.mjs"`)
		if want := addr != ""; has != want || (statErr == nil) != want {
			t.Errorf("BaselineAddr %q: baseline in the config %v, baseline.mjs written %v; want %v:\n%s", addr, has, statErr == nil, want, b)
		}
	}
}
