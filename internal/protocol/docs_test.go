package protocol

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"concurrency-playground/internal/workload"
)

// docResult matches a result's per-task results and the checksum after them in
// docs/protocol.md's examples, which may wrap between the two.
var docResult = regexp.MustCompile(`"results":(\[[^\]]*\]),\s*"checksum":"([0-9a-f]+)"`)

// The checksums quoted in docs/protocol.md are the ones the code computes for the results
// quoted beside them: a client author may check theirs against them.
func TestTheDocumentedChecksumsAreTheCodes(t *testing.T) {
	doc, err := os.ReadFile("../../docs/protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	found := docResult.FindAllSubmatch(doc, -1)
	if len(found) < 3 {
		t.Fatalf("found %d results with a checksum in docs/protocol.md, want the 3 examples at least", len(found))
	}
	for _, m := range found {
		var results []string
		if err := json.Unmarshal(m[1], &results); err != nil {
			t.Errorf("results %s: %v", m[1], err)
			continue
		}
		if got := workload.Checksum(results); got != string(m[2]) {
			t.Errorf("docs/protocol.md quotes checksum %s for %s; the code computes %s", m[2], m[1], got)
		}
	}
}
