package workload

import (
	"math"
	"math/big"
	"strconv"
	"testing"
)

// closedForm is sum(i*i for i in range(n)) = n(n−1)(2n−1)/6, in math/big.
func closedForm(n uint64) *big.Int {
	b := new(big.Int).SetUint64(n)
	s := new(big.Int).Mul(b, new(big.Int).Sub(b, big.NewInt(1)))
	s.Mul(s, new(big.Int).Sub(new(big.Int).Lsh(b, 1), big.NewInt(1)))
	return s.Div(s, big.NewInt(6))
}

func (s Sum128) big() *big.Int {
	b := new(big.Int).Lsh(new(big.Int).SetUint64(s.Hi), 64)
	return b.Add(b, new(big.Int).SetUint64(s.Lo))
}

func TestSumOfSquaresClosedForm(t *testing.T) {
	ns := []int64{0, 1, 2, 3, 10, computeChunk - 1, computeChunk, computeChunk + 1, 3*computeChunk + 7,
		5_000_000, 5_000_019, 1<<27 - 1, 1 << 27, 1<<27 + 1}
	if !testing.Short() {
		ns = append(ns, 1_000_000_000+100_000) // the largest n the experiment must keep exact
	}
	for _, n := range ns {
		calls := 0
		s, complete := SumOfSquares(n, func() bool { calls++; return true })
		if want := closedForm(uint64(n)); !complete || s.big().Cmp(want) != 0 || s.String() != want.String() {
			t.Errorf("SumOfSquares(%d) = %s, %v; want %s, true", n, s, complete, want)
		}
		if want := (n + computeChunk - 1) / computeChunk; int64(calls) != want {
			t.Errorf("SumOfSquares(%d) called between %d times, want once a chunk: %d", n, calls, want)
		}
	}
}

// Ranges where the block is long, short, one square, or changes length, and 128-bit carries.
func TestAddSquaresClosedForm(t *testing.T) {
	const top = 1 << 32 // i < 2^32: a square still fits in 64 bits
	for _, c := range []struct {
		start    Sum128
		from, to uint64
	}{
		{Sum128{}, 0, 0},
		{Sum128{}, 5, 5},
		{Sum128{}, 0, 1},
		{Sum128{}, 0, 2},
		{Sum128{Lo: math.MaxUint64 - 3}, 1, 4}, // 1+4+9 carries into Hi
		{Sum128{Hi: 7, Lo: math.MaxUint64}, 1_000_000, 1_065_536},
		{Sum128{}, 1_000_000_000, 1_000_100_000},     // blocks of 18
		{Sum128{}, 1<<32 - 70_000, 1<<32 - 4_000},    // blocks of 1: a square is near 2^64
		{Sum128{Lo: math.MaxUint64}, top - 100, top}, // the largest squares, each carrying
		{Sum128{}, 3_000_000_000, 3_000_000_050},     // blocks of 2
	} {
		s := c.start
		s.addSquares(c.from, c.to)
		want := new(big.Int).Sub(closedForm(c.to), closedForm(c.from))
		want.Add(want, c.start.big())
		if s.big().Cmp(want) != 0 {
			t.Errorf("%+v.addSquares(%d, %d) = %s, want %s", c.start, c.from, c.to, s, want)
		}
	}
	// Every block length up to 40: the largest square decides it, so sweep the range's end
	// across the points where math.MaxUint64 / (to-1)² changes.
	for block := uint64(2); block <= 40; block++ {
		edge := uint64(math.Sqrt(float64(math.MaxUint64 / block)))
		for _, to := range []uint64{edge - 1, edge, edge + 1, edge + 2} {
			var s Sum128
			s.addSquares(to-3*block-1, to)
			want := new(big.Int).Sub(closedForm(to), closedForm(to-3*block-1))
			if s.big().Cmp(want) != 0 {
				t.Errorf("addSquares(%d, %d) = %s, want %s", to-3*block-1, to, s, want)
			}
		}
	}
}

func BenchmarkSumOfSquares(b *testing.B) {
	for _, n := range []int64{5_000_000, 100_000_000, 1_000_000_000} {
		b.Run("n="+strconv.FormatInt(n, 10), func(b *testing.B) {
			for b.Loop() {
				SumOfSquares(n, func() bool { return true })
			}
		})
	}
}
