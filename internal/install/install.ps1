# Concurrency Playground: start the native backend for the page at ORIGIN, in one command:
#   powershell -ExecutionPolicy Bypass -c "irm ORIGIN/install.ps1 | iex"
# or, with serve's flags:
#   & ([scriptblock]::Create((irm ORIGIN/install.ps1))) -addr 127.0.0.1:9000
# It picks the build for this machine, downloads it from ORIGIN (the site that served this
# script) into a cache, checks its SHA-256 against ORIGIN/download/SHA256SUMS and runs nothing
# on a mismatch, then starts `serve -allow-origin ORIGIN` with the arguments given.
# A rerun whose cached file still matches the sums downloads only the sums.

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue' # Invoke-WebRequest's progress bar slows it down many times
$origin = '{{ORIGIN}}'
$name = 'concurrency-playground'

function Fail($message) {
	[Console]::Error.WriteLine("${name}: $message")
	exit 1
}

# A 32-bit PowerShell on a 64-bit Windows reports x86 here and the machine in PROCESSOR_ARCHITEW6432.
$machine = $env:PROCESSOR_ARCHITEW6432
if (-not $machine) { $machine = $env:PROCESSOR_ARCHITECTURE }
switch ($machine) {
	'AMD64' { $arch = 'amd64' }
	'ARM64' { $arch = 'arm64' }
	default { Fail "no build for Windows on '$machine': there are builds for AMD64 and ARM64" }
}
$file = "$name-windows-$arch.exe"

$cache = Join-Path $env:LOCALAPPDATA $name
New-Item -ItemType Directory -Force -Path $cache | Out-Null
try {
	$sums = (Invoke-WebRequest -UseBasicParsing -Uri "$origin/download/SHA256SUMS").Content
} catch {
	Fail "could not download $origin/download/SHA256SUMS: $_"
}
if ($sums -is [byte[]]) { $sums = [Text.Encoding]::ASCII.GetString($sums) }
$want = $null
foreach ($line in $sums -split "`n") {
	$fields = $line.Trim() -split '\s+'
	if ($fields.Count -eq 2 -and ($fields[1] -eq $file -or $fields[1] -eq "*$file")) { $want = $fields[0].ToLower(); break }
}
if (-not $want) { Fail "$origin/download/SHA256SUMS lists no $file" }

$bin = Join-Path $cache $file
if ((Test-Path $bin) -and ((Get-FileHash -Algorithm SHA256 $bin).Hash.ToLower() -eq $want)) {
	[Console]::Error.WriteLine("${name}: $bin is already here and matches SHA256SUMS")
} else {
	[Console]::Error.WriteLine("${name}: downloading $origin/download/$file")
	$part = "$bin.part"
	try {
		Invoke-WebRequest -UseBasicParsing -Uri "$origin/download/$file" -OutFile $part
	} catch {
		Fail "could not download $origin/download/${file}: $_"
	}
	$got = (Get-FileHash -Algorithm SHA256 $part).Hash.ToLower()
	if ($got -ne $want) {
		Remove-Item -Force $part
		Fail "refusing to run ${file}: its SHA-256 is $got, but SHA256SUMS says $want"
	}
	Move-Item -Force $part $bin
}
[Console]::Error.WriteLine("${name}: starting $bin serve -allow-origin $origin $args")
& $bin serve -allow-origin $origin @args
exit $LASTEXITCODE
