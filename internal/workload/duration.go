package workload

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a time.Duration that travels as Go's duration text ("50ms"), the same form the
// CLI's flags take, so a job reads the same on the command line and in a WebSocket message.
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string such as \"50ms\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as \"50ms\"", s)
	}
	*d = Duration(v)
	return nil
}
