package bridge

import (
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestNewRequestBuildsWhatSyumaiWorkersBuilds(t *testing.T) {
	headers := strings.Join([]string{
		"accept", "text/html,application/json",
		"host", "play.example.workers.dev",
		"cf-connecting-ip", "203.0.113.7",
		"content-length", "5",
	}, sep) + sep
	r, err := NewRequest("POST", "https://play.example.workers.dev/farm/a?delay=0ms&size=1", headers, []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "POST" || r.URL.Path != "/farm/a" || r.URL.RawQuery != "delay=0ms&size=1" || r.URL.Host != "play.example.workers.dev" {
		t.Errorf("method and URL: %s %v", r.Method, r.URL)
	}
	// syumai/workers splits a header's comma-separated values into separate values.
	if got := r.Header.Values("Accept"); !slices.Equal(got, []string{"text/html", "application/json"}) {
		t.Errorf("Accept = %q, want its two values", got)
	}
	if r.Host != "play.example.workers.dev" || r.RemoteAddr != "203.0.113.7" || r.ContentLength != 5 {
		t.Errorf("Host %q, RemoteAddr %q, ContentLength %d", r.Host, r.RemoteAddr, r.ContentLength)
	}
	if b, _ := io.ReadAll(r.Body); string(b) != "hello" {
		t.Errorf("body = %q", b)
	}
}

func TestNewRequestWithoutBodyOrHeaders(t *testing.T) {
	r, err := NewRequest("GET", "https://e.example/healthz", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(r.Body); len(b) != 0 || r.Body == nil {
		t.Errorf("a request without a body reads as empty, got %q", b)
	}
	if r.Context() == nil || r.RequestURI != "/healthz" {
		t.Errorf("context %v, RequestURI %q", r.Context(), r.RequestURI)
	}
	if _, err := NewRequest("GET", "https://e.example/%zz", "", nil); err == nil {
		t.Error("a URL that does not parse is an error")
	}
}

func TestNewRequestBodyWithoutLengthHasItsOwn(t *testing.T) {
	r, _ := NewRequest("POST", "https://e.example/", "", []byte("abc"))
	if r.ContentLength != 3 {
		t.Errorf("ContentLength = %d, want the body's 3", r.ContentLength)
	}
}

// The answer is what net/http's server would send: the first status wins, the headers are
// those at the first write, nothing written is 200.
func TestResponseAsNetHTTPSendsIt(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		status  int
		headers map[string][]string
		body    string
	}{
		{"nothing written", func(w http.ResponseWriter, r *http.Request) {}, 200, map[string][]string{}, ""},
		{"a body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-A", "1")
			w.Header().Add("X-A", "2")
			w.Write([]byte("ab"))
			w.Header().Set("X-Late", "ignored")
			w.Write([]byte("c"))
		}, 200, map[string][]string{"X-A": {"1", "2"}}, "abc"},
		{"first status wins", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusTeapot)
			w.WriteHeader(http.StatusOK)
		}, http.StatusTeapot, map[string][]string{}, ""},
		{"http.Error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", http.StatusBadRequest)
		}, 400, map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}, "X-Content-Type-Options": {"nosniff"}}, "no\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var res Response
			tc.handler(&res, nil)
			status, text, headers, body := res.Result()
			got := map[string][]string{}
			kv := strings.Split(headers, sep)
			for i := 0; i+1 < len(kv); i += 2 {
				got[kv[i]] = append(got[kv[i]], kv[i+1])
			}
			if status != tc.status || text != http.StatusText(tc.status) || !reflect.DeepEqual(got, tc.headers) || string(body) != tc.body {
				t.Errorf("got %d %q %v %q; want %d %v %q", status, text, got, body, tc.status, tc.headers, tc.body)
			}
		})
	}
}

// A released buffer serves the next answer without a trace of the one before, and a body whose
// length is announced is buffered at that length at once.
func TestResponseBuffersAreUsedAgainClean(t *testing.T) {
	first := new(Response)
	first.Header().Set("Content-Length", "100000")
	for range 100000 / 10000 { // as the farm writes: in pieces
		first.Write([]byte(strings.Repeat("a", 10000)))
	}
	// Grown by doubling, the buffer would end at 163840 bytes (allocation sizes round up).
	if _, _, _, body := first.Result(); len(body) != 100000 || first.body.Cap() > 110000 {
		t.Errorf("first body: %d bytes in a buffer of %d, want 100000 in about as many", len(body), first.body.Cap())
	}
	first.Release()
	second := new(Response)
	second.Write([]byte("b"))
	if _, _, _, body := second.Result(); string(body) != "b" {
		t.Errorf("second body = %.20q…, want b", body)
	}
	second.Release()
	var none Response
	if status, _, _, body := none.Result(); status != 200 || body != nil {
		t.Errorf("nothing written: %d %q", status, body)
	}
	none.Release()
}
