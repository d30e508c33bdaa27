package cli

import (
	"os/exec"
	"runtime"
)

// openBrowser opens url in the default browser (serve -open). A variable, so that tests see
// what would be opened without starting a browser.
var openBrowser = startBrowser

// startBrowser asks the desktop to open url and does not wait for the browser: xdg-open on
// Linux and the BSDs, open on macOS, the URL protocol handler on Windows (start would need cmd
// and mangles an & in the URL).
func startBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reaped, so no zombie lingers while the server runs
	return nil
}
