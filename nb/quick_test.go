package nb

import (
	"os"
	"testing"
)

func TestQuickAndPick(t *testing.T) {
	tests := []struct {
		value string
		unset bool // unset the variable instead of setting it to value
		quick bool
	}{
		{unset: true, quick: false},
		{value: "", quick: false},
		{value: "0", quick: false},
		{value: "false", quick: false},
		{value: "1", quick: true},
		{value: "yes", quick: true},
		{value: "true", quick: true},
		// As documented, any other value turns quick mode on, even these.
		{value: "FALSE", quick: true},
		{value: " 0", quick: true},
		{value: "no", quick: true},
	}
	for _, tt := range tests {
		name := "COURSE_QUICK=" + tt.value
		if tt.unset {
			name = "unset"
		}
		t.Run(name, func(t *testing.T) {
			t.Setenv(QuickEnv, tt.value) // restores the variable after the test
			if tt.unset {
				os.Unsetenv(QuickEnv)
			}
			if got := Quick(); got != tt.quick {
				t.Errorf("Quick() = %v, want %v", got, tt.quick)
			}
			wantInt, wantStr, wantSize := 30, "full", [2]int{60000, 784}
			if tt.quick {
				wantInt, wantStr, wantSize = 2, "quick", [2]int{500, 784}
			}
			if got := Pick(30, 2); got != wantInt {
				t.Errorf("Pick(30, 2) = %d, want %d", got, wantInt)
			}
			if got := Pick("full", "quick"); got != wantStr {
				t.Errorf("Pick(%q, %q) = %q, want %q", "full", "quick", got, wantStr)
			}
			if got := Pick([2]int{60000, 784}, [2]int{500, 784}); got != wantSize {
				t.Errorf("Pick(arrays) = %v, want %v", got, wantSize)
			}
		})
	}
}

func TestQuickEnvName(t *testing.T) {
	if QuickEnv != "COURSE_QUICK" {
		t.Errorf("QuickEnv = %q, want COURSE_QUICK (the test suite sets it)", QuickEnv)
	}
}
