package runner

import "context"

// sequential runs one task after another on one goroutine, with one HTTP client: the lesson's
// non-concurrent scripts.
func (r *run) sequential(ctx context.Context) error {
	env := r.env(1)
	for task := range r.spec.Tasks {
		if err := r.doTraced(ctx, 0, task, env); err != nil {
			return err
		}
	}
	return nil
}
