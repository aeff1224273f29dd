package nb

import "os"

// QuickEnv names the environment variable that switches notebooks to quick
// mode. The test suite sets COURSE_QUICK=1; any value other than "", "0"
// and "false" turns quick mode on.
const QuickEnv = "COURSE_QUICK"

// Quick reports whether notebooks run in quick mode, with less data and
// fewer epochs, as under the test suite.
func Quick() bool {
	switch os.Getenv(QuickEnv) {
	case "", "0", "false":
		return false
	}
	return true
}

// Pick returns full normally and quick in quick mode. Notebooks use it for
// every setting that decides how long a cell runs:
//
//	epochs := nb.Pick(30, 2)
func Pick[T any](full, quick T) T {
	if Quick() {
		return quick
	}
	return full
}
