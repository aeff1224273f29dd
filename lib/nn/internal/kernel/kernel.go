// Package kernel holds the numeric inner loops of package nn: dense matrix
// products on row-major float64 slices, with assembly micro-kernels chosen
// at run time for the processor at hand (AVX-512, AVX2 with FMA) and
// portable Go loops everywhere else, element-wise operations, and the
// helper that shares work between goroutines.
//
// Package nn writes its layers in the notes' layout, one column per
// sample, and calls this package for the speed: a fully connected layer
// through Products (z = W a + b, δ aᵀ, Wᵀ δ on mat.Dense values, which
// keeps internally whatever transposed copies its kernels need), the
// convolution through Gemm, GemmStrided and GemmABTStrided on the patches
// it unfolds.
//
// The products of a neural network are small and oddly shaped (a
// minibatch of 10 against 784 inputs; 20 filters of 25 weights against
// 36,864 patch columns), so the kernels skip packing and read the operands
// in place: the cost of packing would not be paid back.
package kernel

import (
	"fmt"
	"runtime"
	"sync"
)

// Level is a set of instructions the kernels use.
type Level int

const (
	// Generic is the portable Go code, the only level with the purego
	// build tag or off amd64.
	Generic Level = iota
	// AVX2 uses 256-bit vectors with fused multiply-add (AVX2 and FMA3).
	AVX2
	// AVX512 uses 512-bit vectors (AVX-512 F).
	AVX512
)

func (l Level) String() string {
	switch l {
	case Generic:
		return "pure Go"
	case AVX2:
		return "AVX2+FMA"
	case AVX512:
		return "AVX-512"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// best is the highest level the processor and the build support; level is
// the one in use.
var (
	best  = detect()
	level = best
)

// Best returns the highest level the processor and the build support.
func Best() Level { return best }

// Current returns the level in use.
func Current() Level { return level }

// SetLevel makes the kernels use level l and returns the previous level,
// for tests that compare the code paths. It panics if the processor does
// not support l. It is not safe to call while products run.
func SetLevel(l Level) Level {
	if l < Generic || l > best {
		panic(fmt.Sprintf("nn: kernel level %v not supported here (best: %v)", l, best))
	}
	old := level
	level = l
	return old
}

// ParallelWork is the least amount of work (in multiply-adds or element
// operations) for which Parallel splits a range between goroutines.
const ParallelWork = 1 << 17

// Parallel calls f on ranges of [0, n) that cover it: once on [0, n) when
// work is below ParallelWork or one processor is available, otherwise on
// at most GOMAXPROCS ranges in parallel goroutines.
func Parallel(n, work int, f func(i0, i1 int)) {
	if work < ParallelWork || Workers() < 2 || n < 2 {
		f(0, n)
		return
	}
	ParallelWorkers(n, work, func(_, i0, i1 int) { f(i0, i1) })
}

// Workers returns the most goroutines that Parallel and ParallelWorkers
// use, GOMAXPROCS: the number of scratch buffers a caller of
// ParallelWorkers needs.
func Workers() int { return runtime.GOMAXPROCS(0) }

// ParallelWorkers is Parallel that also passes f the index w < Workers()
// of the goroutine, different for ranges that run at the same time, so
// that f can use a scratch buffer of its own.
//
// The goroutines are started once and then wait for work, so a call
// allocates nothing, provided f itself is not a new closure each time (a
// closure that f is must outlive the call, and Go puts it on the heap).
// A range that finds no goroutine waiting runs on the calling goroutine,
// so calls may nest (f may call ParallelWorkers) without deadlock.
func ParallelWorkers(n, work int, f func(w, i0, i1 int)) {
	p := min(Workers(), n)
	if work < ParallelWork || p < 2 {
		f(0, 0, n)
		return
	}
	startWorkers(p - 1)
	wg := waitGroups.Get().(*sync.WaitGroup)
	wg.Add(p - 1)
	for w := 1; w < p; w++ {
		j := job{f: f, w: w, i0: w * n / p, i1: (w + 1) * n / p, done: wg}
		select {
		case jobs <- j:
		default: // no goroutine waits (all busy, or a nested call): do it here
			f(j.w, j.i0, j.i1)
			wg.Done()
		}
	}
	f(0, 0, n/p) // the calling goroutine takes the first range
	wg.Wait()
	waitGroups.Put(wg)
}

// job is a range of a ParallelWorkers call, for a waiting goroutine.
type job struct {
	f         func(w, i0, i1 int)
	w, i0, i1 int
	done      *sync.WaitGroup
}

var (
	jobs       = make(chan job)
	waitGroups = sync.Pool{New: func() any { return new(sync.WaitGroup) }}
	workersMu  sync.Mutex
	workers    int // goroutines started
)

// startWorkers makes sure that at least n goroutines wait for jobs.
func startWorkers(n int) {
	workersMu.Lock()
	defer workersMu.Unlock()
	for ; workers < n; workers++ {
		go func() {
			for j := range jobs {
				j.f(j.w, j.i0, j.i1)
				j.done.Done()
			}
		}()
	}
}

// Gemm sets (or with add, adds to) dst = a · b for row-major a (r × k),
// b (k × c) and dst (r × c), all contiguous. The columns are cut into
// blocks shared between goroutines; within a block, panels of 4 rows ×
// 32 (or 8) columns go to the micro-kernel of the current level and the
// rest to Go loops.
func Gemm(dst, a, b []float64, r, k, c int, add bool) {
	if r == 0 || c == 0 {
		return
	}
	if len(a) < r*k || len(b) < k*c || len(dst) < r*c {
		panic(fmt.Sprintf("nn: kernel.Gemm: slices of %d, %d, %d for %d×%d · %d×%d", len(a), len(b), len(dst), r, k, k, c))
	}
	if k == 0 {
		if !add {
			clear(dst[:r*c])
		}
		return
	}
	// A block of b (k × w) stays in the 1–2 MB second-level cache.
	w := max(64, min(512, (1<<14)/k)) &^ 31
	blocks := (c + w - 1) / w
	shareTask(gemmTasks, task{lv: level, dst: dst, a: a, b: b, r: r, k: k, c: c, w: w, add: add}, blocks, r*k*c)
}

// task is a Gemm or GemmABT call shared between goroutines: a is r × k,
// b is k × c (c × k for GemmABT), dst is r × c, and w is the width of
// Gemm's column blocks. run, bound once to the task, computes a range of
// its parts. Tasks are reused, so that a call allocates nothing.
type task struct {
	lv         Level
	dst, a, b  []float64
	r, k, c, w int
	add        bool
	run        func(_, i0, i1 int)
}

// newTaskPool returns a pool of tasks whose run calls f.
func newTaskPool(f func(t *task, i0, i1 int)) *sync.Pool {
	return &sync.Pool{New: func() any {
		t := new(task)
		t.run = func(_, i0, i1 int) { f(t, i0, i1) }
		return t
	}}
}

// shareTask runs the n parts of job, work multiply-adds in all, on a
// task of pool with ParallelWorkers.
func shareTask(pool *sync.Pool, job task, n, work int) {
	t := pool.Get().(*task)
	job.run = t.run
	*t = job
	ParallelWorkers(n, work, t.run)
	*t = task{run: t.run} // drop the slices
	pool.Put(t)
}

// gemmTasks compute ranges of Gemm's column blocks.
var gemmTasks = newTaskPool(func(t *task, b0, b1 int) {
	for blk := b0; blk < b1; blk++ {
		gemmBlock(t.lv, t.dst, t.c, t.a, t.k, t.b, t.c, t.r, t.k, blk*t.w, min((blk+1)*t.w, t.c), t.add)
	}
})

// GemmStrided is Gemm on one goroutine for matrices stored with row
// strides lda, ldb and ldd (in elements): a is r × k in a[i·lda+l], b is
// k × c in b[l·ldb+j] and dst is r × c in dst[i·ldd+j].
func GemmStrided(dst []float64, ldd int, a []float64, lda int, b []float64, ldb int, r, k, c int, add bool) {
	if r == 0 || c == 0 {
		return
	}
	if len(a) < (r-1)*lda+k || len(b) < (k-1)*ldb+c || len(dst) < (r-1)*ldd+c {
		panic(fmt.Sprintf("nn: kernel.GemmStrided: slices of %d, %d, %d too short for %d×%d · %d×%d", len(a), len(b), len(dst), r, k, k, c))
	}
	if k == 0 {
		if !add {
			for i := range r {
				clear(dst[i*ldd : i*ldd+c])
			}
		}
		return
	}
	gemmBlock(level, dst, ldd, a, lda, b, ldb, r, k, 0, c, add)
}

// gemmBlock computes columns [j0, j1) of GemmStrided.
func gemmBlock(lv Level, dst []float64, ldd int, a []float64, lda int, b []float64, ldb int, r, k, j0, j1 int, add bool) {
	r4, jv := 0, j0 // rows and columns [0, r4) × [j0, jv) done by a kernel
	switch lv {
	case AVX512:
		r4 = r &^ 3
		addFlag := 0
		if add {
			addFlag = 1
		}
		j := j0
		for ; j+32 <= j1; j += 32 {
			for i := 0; i < r4; i += 4 {
				gemm4x32z(k, &a[i*lda], lda, &b[j], ldb, &dst[i*ldd+j], ldd, addFlag)
			}
			for i := r4; i < r; i++ {
				gemm1x32z(k, &a[i*lda], &b[j], ldb, &dst[i*ldd+j], addFlag)
			}
		}
		for ; j+8 <= j1; j += 8 {
			for i := 0; i < r4; i += 4 {
				gemm4x8z(k, &a[i*lda], lda, &b[j], ldb, &dst[i*ldd+j], ldd, addFlag)
			}
			for i := r4; i < r; i++ {
				gemm1x8z(k, &a[i*lda], &b[j], ldb, &dst[i*ldd+j], addFlag)
			}
		}
		r4, jv = r, j // the rows left over went to the one-row kernels
	case AVX2:
		r4, jv = r&^3, j0+(j1-j0)&^7
		for i := 0; i < r4; i += 4 {
			if !add {
				for ii := i; ii < i+4; ii++ {
					clear(dst[ii*ldd+j0 : ii*ldd+jv])
				}
			}
			for j := j0; j < jv; j += 8 {
				gemm4x8(k, &a[i*lda], lda, &b[j], ldb, &dst[i*ldd+j], ldd)
			}
		}
	}
	for i := range r {
		lo := j0
		if i < r4 {
			lo = jv
		}
		if lo == j1 {
			continue
		}
		di := dst[i*ldd+lo : i*ldd+j1]
		if !add {
			clear(di)
		}
		for l, v := range a[i*lda : i*lda+k] {
			axpy(di, v, b[l*ldb+lo:l*ldb+j1])
		}
	}
}

// GemmABT sets (or with add, adds to) dst = a · bᵀ for row-major a
// (r × n), b (c × n) and dst (r × c), all contiguous: dot products of
// rows, accumulated over blocks of n so the rows read stay in cache.
// Tiles of 4 × 4 (AVX-512) or 4 × 2 (AVX2) entries of dst go to a
// micro-kernel and are shared between goroutines.
func GemmABT(dst, a, b []float64, r, n, c int, add bool) {
	if len(a) < r*n || len(b) < c*n || len(dst) < r*c {
		panic(fmt.Sprintf("nn: kernel.GemmABT: slices of %d, %d, %d for %d×%d · (%d×%d)ᵀ", len(a), len(b), len(dst), r, n, c, n))
	}
	if !add {
		clear(dst[:r*c])
	}
	if r == 0 || n == 0 || c == 0 {
		return
	}
	lv := level
	tw := 2 // tile width
	if lv == AVX512 {
		tw = 4
	}
	shareTask(abtTasks, task{lv: lv, dst: dst, a: a, b: b, r: r, k: n, c: c}, (r+3)/4*((c+tw-1)/tw), r*n*c)
}

// abtTasks compute ranges of GemmABT's tiles (its n is the task's k).
var abtTasks = newTaskPool(func(t *task, t0, t1 int) {
	gemmABTTiles(t.lv, t.dst, t.c, t.a, t.k, t.b, t.k, t.r, t.k, t.c, t0, t1)
})

// GemmABTStrided is GemmABT on one goroutine for matrices stored with row
// strides lda, ldb and ldd (in elements): a is r × n in a[i·lda+l], b is
// c × n in b[j·ldb+l] and dst is r × c in dst[i·ldd+j].
func GemmABTStrided(dst []float64, ldd int, a []float64, lda int, b []float64, ldb int, r, n, c int, add bool) {
	if r == 0 || c == 0 {
		return
	}
	if len(a) < (r-1)*lda+n || len(b) < (c-1)*ldb+n || len(dst) < (r-1)*ldd+c {
		panic(fmt.Sprintf("nn: kernel.GemmABTStrided: slices of %d, %d, %d too short for %d×%d · (%d×%d)ᵀ", len(a), len(b), len(dst), r, n, c, n))
	}
	if !add {
		for i := range r {
			clear(dst[i*ldd : i*ldd+c])
		}
	}
	if n == 0 {
		return
	}
	lv := level
	tw := 2
	if lv == AVX512 {
		tw = 4
	}
	gemmABTTiles(lv, dst, ldd, a, lda, b, ldb, r, n, c, 0, (r+3)/4*((c+tw-1)/tw))
}

// gemmABTTiles adds to dst the tiles [t0, t1) of GemmABTStrided, numbered
// row of tiles by row of tiles.
func gemmABTTiles(lv Level, dst []float64, ldd int, a []float64, lda int, b []float64, ldb int, r, n, c, t0, t1 int) {
	const w = 1024
	tw, step := 2, 4 // tile width, multiple of n the kernel takes
	if lv == AVX512 {
		tw, step = 4, 8
	}
	tj := (c + tw - 1) / tw
	var out [16]float64
	for n0 := 0; n0 < n; n0 += w {
		n1 := min(n0+w, n)
		nv := n0
		if lv != Generic {
			nv = n0 + (n1-n0)/step*step
		}
		for t := t0; t < t1; t++ {
			i0, j0 := 4*(t/tj), tw*(t%tj)
			i1, j1 := min(i0+4, r), min(j0+tw, c)
			lo := n0 // entries [n0, lo) done by a kernel
			if nv > n0 && i1-i0 == 4 {
				switch {
				case lv == AVX512 && j1-j0 == 4:
					dot4x4z(nv-n0, &a[i0*lda+n0], lda, &b[j0*ldb+n0], ldb, &out[0])
					for i := range 4 {
						d := dst[(i0+i)*ldd+j0 : (i0+i)*ldd+j0+4]
						for j := range d {
							d[j] += out[4*i+j]
						}
					}
					lo = nv
				case lv == AVX512:
					for j := j0; j < j1; j++ {
						dot4x1z(nv-n0, &a[i0*lda+n0], lda, &b[j*ldb+n0], &out[0])
						for i := range 4 {
							dst[(i0+i)*ldd+j] += out[i]
						}
					}
					lo = nv
				case lv == AVX2 && j1-j0 == 2:
					dot4x2(nv-n0, &a[i0*lda+n0], lda, &b[j0*ldb+n0], ldb, &dst[i0*ldd+j0], ldd)
					lo = nv
				}
			}
			if lo == n1 {
				continue
			}
			for i := i0; i < i1; i++ {
				for j := j0; j < j1; j++ {
					dst[i*ldd+j] += dot(a[i*lda+lo:i*lda+n1], b[j*ldb+lo:j*ldb+n1])
				}
			}
		}
	}
}
