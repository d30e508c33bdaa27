package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKitIsOneClassicScriptUnderAStableName(t *testing.T) {
	site := t.TempDir()
	if err := os.MkdirAll(filepath.Join(site, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "const origin: string = new URL(\"/x\", location.href).origin;\ndocument.body.dataset.kit = origin;\nexport {};\n"
	if err := os.WriteFile(filepath.Join(site, kitEntry), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := bundleKit(site)
	if err != nil {
		t.Fatal(err)
	}
	if f.name != "embed.js" {
		t.Errorf("the kit is named %q, want embed.js: tutorials include it by that address", f.name)
	}
	js := string(f.data)
	if !strings.Contains(js, "dataset.kit") || strings.Contains(js, "export") || strings.Contains(js, "import") {
		t.Errorf("want the kit's code as a classic script (no import/export), got:\n%s", js)
	}
}

func TestNoKitNoFile(t *testing.T) {
	f, err := bundleKit(t.TempDir())
	if err != nil || f.name != "" {
		t.Errorf("a site without %s: got file %q, error %v; want neither", kitEntry, f.name, err)
	}
}
