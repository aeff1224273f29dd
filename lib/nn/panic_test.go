package nn

import (
	"strings"
	"testing"
)

// wantPanic calls f and fails the test unless f panics with a message that
// starts with "nn: " and contains want.
func wantPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		msg, _ := r.(string)
		if !strings.HasPrefix(msg, "nn: ") || !strings.Contains(msg, want) {
			t.Errorf("panic %v, want an nn: message containing %q", r, want)
		}
	}()
	f()
}
