// Package fieldio reads and writes user fields: 2D arrays of float32 or
// float64 in NumPy .npy files (through codeberg.org/sbinet/npyio) and CSV
// files of numbers. Readers validate everything a user can get wrong and
// return one-line errors that name the file and the problem; malformed
// input never panics.
package fieldio
