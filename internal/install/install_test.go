package install

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The scripts name the origin they were asked from, and only an origin that cannot break out
// of the scripts' quotes.
func TestScriptsNameTheirOriginAndRefuseAnUnquotableOne(t *testing.T) {
	mux := http.NewServeMux()
	Register(mux)
	for _, tc := range []struct {
		url, host string
		code      int
		says      string
	}{
		{"https://play.example.org/install.sh", "", 200, "origin='https://play.example.org'"},
		{"http://127.0.0.1:8790/install.ps1", "", 200, "$origin = 'http://127.0.0.1:8790'"},
		{"/install.sh", "evil.example';rm -rf ~;'", 400, "cannot be written into a script"},
		{"/install.sh", "a b", 400, "cannot be written into a script"},
	} {
		req := httptest.NewRequest("GET", tc.url, nil)
		if tc.host != "" {
			req.Host = tc.host
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.says) || strings.Contains(rec.Body.String(), placeholder) {
			t.Errorf("GET %s (Host %q): %d, want %d saying %q; got:\n%.300s", tc.url, tc.host, rec.Code, tc.code, tc.says, rec.Body.String())
		}
	}
}
