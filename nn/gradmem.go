package nn

import "sort"

// gradBuffers assigns gradient storage to the tensors (tensor 0, the
// network input, gets none here). A gradient is only live during part of
// the backward pass — from its first write by the last consumer to the
// read by its producer — so tensors whose live ranges (in node indices)
// do not overlap share one buffer. This halves the U-Net's gradient
// memory; every first write overwrites the whole tensor (see plan), so
// stale contents never leak.
func (n *Net[T]) gradBuffers(batch int) [][]T {
	nt := len(n.shapes)
	root := func(t int) int {
		if a := n.alias[t]; a >= 0 {
			return a
		}
		return t
	}
	lo, hi := make([]int, nt), make([]int, nt) // live range per root, node indices
	for t := range lo {
		lo[t], hi[t] = len(n.nodes), -1
	}
	last := nt - 1
	hi[root(last)] = len(n.nodes) // the cotangent is copied in before any node runs
	for i, nd := range n.nodes {
		r := root(nd.out)
		lo[r] = min(lo[r], i)
		for _, t := range nd.in {
			r := root(t)
			hi[r] = max(hi[r], i)
		}
	}
	for t, i := range n.gradFrom {
		if i >= 0 {
			r := root(t)
			lo[r] = min(lo[r], i)
		}
	}
	var roots []int
	for t := 1; t < nt; t++ {
		if root(t) == t {
			roots = append(roots, t)
		}
	}
	// Largest first, first fit.
	sort.SliceStable(roots, func(a, b int) bool { return n.shapes[roots[a]].Size() > n.shapes[roots[b]].Size() })
	type buf struct {
		size  int
		users []int
	}
	var bufs []buf
	where := make([]int, nt)
	for _, t := range roots {
		placed := false
		for b := range bufs {
			free := true
			for _, u := range bufs[b].users {
				if lo[t] <= hi[u] && lo[u] <= hi[t] {
					free = false
					break
				}
			}
			if free {
				bufs[b].users = append(bufs[b].users, t)
				bufs[b].size = max(bufs[b].size, n.shapes[t].Size())
				where[t], placed = b, true
				break
			}
		}
		if !placed {
			where[t] = len(bufs)
			bufs = append(bufs, buf{size: n.shapes[t].Size(), users: []int{t}})
		}
	}
	mem := make([][]T, len(bufs))
	for b := range bufs {
		mem[b] = make([]T, batch*bufs[b].size)
	}
	grads := make([][]T, nt)
	for t := 1; t < nt; t++ {
		g := mem[where[root(t)]]
		grads[t] = g[:batch*n.shapes[t].Size()]
	}
	return grads
}
