package protocol

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzDecode checks what must hold for any frame a client can send: Decode never panics,
// refuses with a *DecodeError naming a field, and what it accepts survives a round trip through
// the server's own encoding unchanged. `make test` runs the seeds; run it longer with
// go test -run '^$' -fuzz FuzzDecode -fuzztime 20s ./internal/protocol
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"type":"run","id":"r1","job":{"preset":"cpu_mp","workers":2}}`,
		`{"type":"run","id":"r2","job":{"experiment":"io","variant":"pool","workers":5,"tasks":160,"delay":"50ms","size":25000}}`,
		`{"type":"run","id":"r3","job":{"experiment":"race","mode":"unsafe","yield":true,"n":1,"jitter":"1s"}}`,
		`{"type":"cancel","id":"r1"}`,
		`{"type":"cancel","id":"r1","id":"r1"}`,
		`{"type":"run","id":"r1","job":{"workers":1e999}}`,
		`{"type":"run","id":"r1","job":{"delay":"9999999999h"}}`,
		`{"type":"hello"}`, `{}`, `[]`, `null`, `"run"`, `{"type":"run","id":"\u00e9"}`, "{\"type\":\"run\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := Decode(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || de.Field == "" || de.Reason == "" {
				t.Fatalf("Decode(%q) = %#v: want a *DecodeError with a field and a reason", data, err)
			}
			if de.ID != "" {
				if _, bad := decodeID([]byte(`"` + de.ID + `"`)); bad != nil {
					t.Fatalf("error carries an invalid id %q", de.ID)
				}
			}
			return
		}
		var again []byte
		switch m := msg.(type) {
		case Run:
			again, _ = json.Marshal(m)
		case Cancel:
			again, _ = json.Marshal(m)
		default:
			t.Fatalf("Decode returned %T", msg)
		}
		msg2, err := Decode(again)
		if err != nil {
			// An accepted message re-encodes as one that is accepted, except that a job value
			// at the byte limit may grow on re-encoding ("1e2" → "100").
			if strings.Contains(err.Error(), "too long") {
				return
			}
			t.Fatalf("Decode(%q) accepted, its encoding %s refused: %v", data, again, err)
		}
		if !reflect.DeepEqual(msg, msg2) {
			t.Fatalf("round trip changed the message:\n%#v\n%#v", msg, msg2)
		}
	})
}
