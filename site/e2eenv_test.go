package site

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every environment variable the end-to-end harness reads is named where the e2e tests are
// introduced (mk/e2e.mk, beside the targets that run them): a new user whose Chromium
// is elsewhere must find CHROMIUM without reading harness.mjs.
func TestTheE2EHarnessEnvironmentIsDocumented(t *testing.T) {
	harness, err := os.ReadFile(filepath.Join("e2e", "harness.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	mk, err := os.ReadFile(filepath.Join("..", "mk", "e2e.mk"))
	if err != nil {
		t.Fatal(err)
	}
	names := regexp.MustCompile(`process\.env\.([A-Z_]+)`).FindAllStringSubmatch(string(harness), -1)
	if len(names) == 0 {
		t.Fatal("harness.mjs reads no environment variable: is this the harness?")
	}
	for _, m := range names {
		if !strings.Contains(string(mk), m[1]+"=") {
			t.Errorf("e2e/harness.mjs reads %s, which mk/e2e.mk does not mention (as %s=…)", m[1], m[1])
		}
	}
}
