package procpool

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"concurrency-playground/internal/workload"
)

// The parent and a worker talk over the worker's stdin and stdout, one JSON object per line:
//
//	parent → worker  hello  {"token":"…","worker":1,"spec":{…},"farm_url":"http://127.0.0.1:…"}
//	worker → parent  ready  {"token":"…","pid":1234}
//	parent → worker  batch  {"from":40,"to":44}
//	worker → parent  reply  {"task":40,"result":"…","start":…,"end":…,"counted":…}, one per task
//
// stderr stays free for diagnostics; the parent keeps its tail for error messages. A worker has
// at most two batches outstanding, a few dozen bytes, so the parent's writes never block; the
// parent reads replies as they come, so a worker's writes block only while the parent is busy.

// envWorker carries the pool's random token to the processes the pool starts. Only a process
// started with it, and then handed the same token on stdin, serves as a worker: a user cannot
// turn the binary into a worker by accident, and a stray process is never taken for one.
const envWorker = "CONCURRENCY_PLAYGROUND_PROCESS_WORKER"

// maxLine bounds one message: a result is a decimal number, so anything near this is garbage.
const maxLine = 64 << 10

// hello is the worker's initializer, like the lesson's Pool(initializer=set_global_session):
// what every task of the run needs, sent once per process.
type hello struct {
	Token   string        `json:"token"`
	Worker  int           `json:"worker"`
	Spec    workload.Spec `json:"spec"`
	FarmURL string        `json:"farm_url,omitempty"`
}

// batch asks for tasks from..to-1, run in order, one reply each.
type batch = workload.Batch

// reply is the worker's answer: the ready message (Token set) or one task's outcome.
type reply struct {
	Token   string `json:"token,omitempty"` // ready: the token from the environment, echoed
	PID     int    `json:"pid,omitempty"`   // ready: the worker's own pid
	Task    int    `json:"task"`
	Result  string `json:"result,omitempty"`
	Error   string `json:"error,omitempty"`
	Start   int64  `json:"start,omitempty"`   // when the task started, UnixNano on the worker's clock
	End     int64  `json:"end,omitempty"`     // when it ended
	Counted int64  `json:"counted,omitempty"` // race: the worker's own counter after the task
}

// newToken is a fresh pool's handshake token: 128 random bits.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails: see crypto/rand.Read
	return hex.EncodeToString(b)
}

// encodeLine is v as one protocol line.
func encodeLine(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("procpool: encoding %T: %v", v, err)) // our own types always encode
	}
	return append(b, '\n')
}

// decodeLine decodes one line strictly: an unknown field or trailing text means the other
// side is not speaking this protocol.
func decodeLine(line []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("trailing text after the message")
	}
	return nil
}
