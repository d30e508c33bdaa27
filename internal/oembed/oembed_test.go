package oembed

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func get(t *testing.T, srv *httptest.Server, query string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + Path + "?" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestOEmbedTurnsAPlaygroundLinkIntoAnIframeOfThisOrigin(t *testing.T) {
	srv := httptest.NewServer(Handler(nil))
	defer srv.Close()
	link := "https://playground.example/?preset=cpu_mp&workers=4&repeat=5&evil=%22%3E%3Cscript%3E&theme=dark"
	resp, body := get(t, srv, "url="+url.QueryEscape(link)+"&maxwidth=600")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("status %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var r Response
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	wantSrc := srv.URL + "/embed?preset=cpu_mp&amp;repeat=5&amp;theme=dark&amp;workers=4"
	if r.Type != "rich" || r.Version != "1.0" || r.Width != 600 || r.Height != defaultHeight || !strings.Contains(r.HTML, `src="`+wantSrc+`"`) {
		t.Errorf("response %+v; want an iframe of %s", r, wantSrc)
	}
	if strings.Contains(r.HTML, "script") || strings.Contains(r.HTML, "evil") || strings.Contains(r.HTML, "playground.example") {
		t.Errorf("the iframe carries what it should not: %s", r.HTML)
	}
}

func TestOEmbedNeverExceedsTheConsumersMaximum(t *testing.T) {
	r, _, err := Build("http://127.0.0.1:8080", url.Values{"url": {"http://127.0.0.1:8080/"}, "maxwidth": {"200"}, "maxheight": {"150"}})
	if err != nil || r.Width != 200 || r.Height != 150 || !strings.Contains(r.HTML, `width="200" height="150"`) {
		t.Errorf("maxwidth 200, maxheight 150: %+v, %v", r, err)
	}
}

func TestOEmbedRefusesWhatIsNotAPlaygroundLink(t *testing.T) {
	srv := httptest.NewServer(Handler(nil))
	defer srv.Close()
	cases := []struct {
		query  string
		status int
		want   string
	}{
		{"", 400, "url: want the playground link"},
		{"url=" + url.QueryEscape("javascript:alert(1)"), 400, "is not an absolute http(s) link"},
		{"url=" + url.QueryEscape("http://x.example/admin"), 404, "/admin is not a playground page"},
		{"url=" + url.QueryEscape("http://x.example/") + "&format=xml", 501, `format: "xml" is not supported`},
	}
	for _, c := range cases {
		resp, body := get(t, srv, c.query)
		if resp.StatusCode != c.status || !strings.Contains(body, c.want) {
			t.Errorf("?%s: %d %q, want %d containing %q", c.query, resp.StatusCode, body, c.status, c.want)
		}
	}
}
