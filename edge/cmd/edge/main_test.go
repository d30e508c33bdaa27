package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRunRefusesWhatItCannotDo(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{nil, 2, "usage: edge build"},
		{[]string{"deploy"}, 2, `unknown command "deploy"; use build or dev`},
		{[]string{"build", "-x"}, 2, "flag provided but not defined: -x"},
		// go test runs in edge/cmd/edge, where there is no site/node_modules.
		{[]string{"dev"}, 1, "is not installed at site/node_modules/@cloudflare/workerd-"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.says) {
			t.Errorf("edge %q: exit %d, stderr %q; want exit %d saying %q", tc.args, code, stderr.String(), tc.code, tc.says)
		}
	}
}
