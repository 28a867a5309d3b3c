//go:build linux

package nn

import "golang.org/x/sys/unix"

// threadCPU returns the calling thread's CPU time in seconds. Benchmarks
// lock the OS thread and divide by it as well as by wall time: on a
// machine shared with other jobs the wall-clock rate drops whenever the
// thread is descheduled, the CPU-time rate does not.
func threadCPU() float64 {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return float64(ts.Sec) + 1e-9*float64(ts.Nsec)
}
