package main

import "context"

// sequential runs one task after another: the lesson's non-concurrent scripts.
func (r *run) sequential(ctx context.Context) error {
	for task := range r.spec.Tasks {
		if err := r.doTraced(ctx, 0, task); err != nil {
			return err
		}
	}
	return nil
}
