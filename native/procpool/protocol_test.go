package procpool

import (
	"strings"
	"testing"
)

// A line is a reply only if it is exactly one JSON object of the reply's fields.
func TestDecodeLineIsStrict(t *testing.T) {
	for _, tc := range []struct{ line, err string }{
		{`{"task":3,"result":"100","start":1,"end":2}`, ""},
		{`{"task":3,"extra":1}`, `unknown field "extra"`},
		{`{"task":3} {"task":4}`, "trailing text"},
		{`{"task":"3"}`, "cannot unmarshal string"},
		{`this is not a reply`, "invalid character"},
		{``, "EOF"},
	} {
		var m reply
		err := decodeLine([]byte(tc.line), &m)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("decodeLine(%q) = %v, want an error containing %q", tc.line, err, tc.err)
		}
	}
}

// Whatever a worker prints, decoding it never panics, and what decodes encodes back to a line
// that decodes the same.
func FuzzDecodeReply(f *testing.F) {
	f.Add([]byte(`{"task":3,"result":"100","start":1,"end":2,"counted":7}`))
	f.Add([]byte(`{"token":"abc","pid":12}`))
	f.Add([]byte(`{"task":1,"error":"task 1: boom"}`))
	f.Add([]byte(`[1,2,3]`))
	f.Fuzz(func(t *testing.T, line []byte) {
		var m reply
		if decodeLine(line, &m) != nil {
			return
		}
		var again reply
		if err := decodeLine(encodeLine(m), &again); err != nil || again != m {
			t.Fatalf("%q decoded to %+v, which re-decodes to %+v (%v)", line, m, again, err)
		}
	})
}
