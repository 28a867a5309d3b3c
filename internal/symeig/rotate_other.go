//go:build !amd64 || purego

package symeig

// No assembly on this platform (or the purego tag is set).
func rotateAsm(z []float64, n, m int, c, s []float64) int { return 0 }

// UseAsm reports false: there is no assembly kernel to switch on.
func UseAsm(on bool) (prev bool) { return false }

// Impl names the rotation kernel in use.
func Impl() string { return "go" }
