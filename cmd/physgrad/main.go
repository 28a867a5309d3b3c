// Command physgrad solves inverse problems through physics simulators with
// physical gradients, trains networks through them, and plots the results.
//
// Exit status: 0 on success, 2 on bad usage or bad input, 1 on a failure
// while running.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/physgrad/physgrad/report"
)

// usageError marks errors caused by the command line or the user's input.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "physgrad",
		Short: "Inverse problems and network training through physics simulators with physical gradients",
		Long: `physgrad optimises simulator inputs and trains neural networks with physical
gradients: update steps taken through an (approximate, local) inverse simulator
instead of the transposed Jacobian.

Every command takes --json for machine-readable output and --out DIR for files.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newToyCmd(), newCheckInverseCmd(), newDemoCmd())
	for _, c := range extraCommands {
		root.AddCommand(c())
	}
	return root
}

// extraCommands lets each command file register itself.
var extraCommands []func() *cobra.Command

func main() {
	// An interrupted run removes its staging folders; files already in
	// --out (atomic checkpoints) stay.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sig
		report.AbortAll()
		fmt.Fprintf(os.Stderr, "physgrad: interrupted (%v)\n", s)
		code := 130
		if s == syscall.SIGTERM {
			code = 143
		}
		os.Exit(code)
	}()
	os.Exit(run(os.Args[1:]))
}

func run(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "physgrad: internal error: %v\n", r)
			code = 1
		}
	}()
	root := newRoot()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	fmt.Fprintf(os.Stderr, "physgrad: %s\n", msg)
	var u usageError
	if errors.As(err, &u) || isCobraUsage(err) {
		return 2
	}
	return 1
}

// isCobraUsage recognises cobra's own argument errors, which it does not type.
func isCobraUsage(err error) bool {
	m := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires ", "invalid argument", "flag needs"} {
		if strings.Contains(m, p) {
			return true
		}
	}
	return false
}
