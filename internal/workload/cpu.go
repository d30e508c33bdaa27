package workload

import (
	"math"
	"math/bits"
	"strconv"
)

// Sum128 is an unsigned 128-bit integer. The lesson's sums exceed 2^64 (n = 5,000,000 gives
// 41666654166667500000), and math/big would allocate on every add and grow the browser's wasm.
type Sum128 struct{ Hi, Lo uint64 }

// computeChunk is how many squares are added between two calls of the yield function: about
// 50 µs of work, so the emulated interpreter lock can hand over within its 5 ms interval
// while the clock is read rarely enough to cost nothing.
const computeChunk = 1 << 16

// SumOfSquares is the lesson's CPU task, sum(i * i for i in range(n)), exact. between, if not
// nil, runs between chunks: where the run hands over a lock, lets others run, or notices it was
// cancelled. When it returns false the sum stops there, and complete is false.
func SumOfSquares(n int64, between func() bool) (s Sum128, complete bool) {
	for from := uint64(0); from < uint64(n); from += computeChunk {
		s.addSquares(from, min(from+computeChunk, uint64(n)))
		if between != nil && !between() {
			return s, false
		}
	}
	return s, true
}

// addSquares adds i*i for from <= i < to. i < 2^32, so i*i fits in 64 bits. It adds a block of
// squares in a plain uint64 and only then that into the 128-bit sum: one carry per block, not
// one per square. The block is as long as the largest square allows, block · (to-1)² < 2^64:
// the whole chunk for the lesson's n, 18 squares near n = 10^9, one when a square alone is near
// 2^64. Eight squares a turn, because compiled to wasm every turn of a loop also jumps through
// the function's dispatch table: the loop costs less than the squares then, as natively.
func (s *Sum128) addSquares(from, to uint64) {
	if from >= to {
		return
	}
	block := math.MaxUint64 / max((to-1)*(to-1), 1)
	hi, lo := s.Hi, s.Lo
	for i := from; i < to; {
		end := i + min(block, to-i)
		var part uint64
		for ; i+8 <= end; i += 8 {
			part += i*i + (i+1)*(i+1) + (i+2)*(i+2) + (i+3)*(i+3) +
				(i+4)*(i+4) + (i+5)*(i+5) + (i+6)*(i+6) + (i+7)*(i+7)
		}
		for ; i < end; i++ {
			part += i * i
		}
		var carry uint64
		lo, carry = bits.Add64(lo, part, 0)
		hi += carry
	}
	s.Hi, s.Lo = hi, lo
}

// String is the number in decimal.
func (s Sum128) String() string {
	if s.Hi == 0 {
		return strconv.FormatUint(s.Lo, 10)
	}
	const base = 1e19 // the largest power of ten below 2^64
	q := Sum128{Hi: s.Hi / base}
	var r uint64
	q.Lo, r = bits.Div64(s.Hi%base, s.Lo, base)
	digits := strconv.FormatUint(r, 10)
	return q.String() + "0000000000000000000"[len(digits):] + digits
}
