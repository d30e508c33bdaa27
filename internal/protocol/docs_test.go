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

// docRefusal matches a worked refusal of docs/protocol.md: a client frame and the server's
// error message for it.
var docRefusal = regexp.MustCompile(`(?m)^client  (\{.*)\nserver  (\{"type":"error".*"code":"invalid".*\})$`)

// The worked refusals in docs/protocol.md are what the decoder and Resolve answer.
func TestTheDocumentedRefusalsAreTheCodes(t *testing.T) {
	doc, err := os.ReadFile("../../docs/protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	found := docRefusal.FindAllSubmatch(doc, -1)
	if len(found) < 8 {
		t.Fatalf("found %d worked refusals in docs/protocol.md, want 8 at least", len(found))
	}
	for _, m := range found {
		var want struct{ Message string }
		if err := json.Unmarshal(m[2], &want); err != nil {
			t.Errorf("server line %s: %v", m[2], err)
			continue
		}
		msg, err := Decode(m[1])
		if run, ok := msg.(Run); ok && err == nil {
			_, err = run.Job.Resolve(2)
		}
		if err == nil || err.Error() != want.Message {
			t.Errorf("client %s:\n documented %q\n the code    %v", m[1], want.Message, err)
		}
	}
}
