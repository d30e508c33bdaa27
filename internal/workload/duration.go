package workload

import (
	"errors"
	"strconv"
	"time"
)

// Duration is a time.Duration that travels as Go's duration text ("50ms"), the same form the
// CLI's flags take, so a job reads the same on the command line and in a WebSocket message.
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON and UnmarshalJSON are written out with strconv: encoding/json would add
// a tenth to the browser engine's wasm.
func (d Duration) MarshalJSON() ([]byte, error) { return strconv.AppendQuote(nil, d.String()), nil }

func (d *Duration) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return errors.New(KindDuration.Want())
	}
	v, err := parseDuration(s)
	if err == nil {
		*d = v
	}
	return err
}

func parseDuration(s string) (Duration, error) {
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, errors.New(strconv.Quote(s) + ` is not a duration such as "50ms"`)
	}
	return Duration(v), nil
}
