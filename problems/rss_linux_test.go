//go:build linux

package problems

import "golang.org/x/sys/unix"

// peakRSS returns the process's peak resident memory in bytes (0 if
// unknown). Linux reports ru_maxrss in KiB.
func peakRSS() float64 {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Maxrss) * 1024
}
