# SPDX-License-Identifier: MIT
# The one entry point for every build, test, cross, bench and demo step of Sipwire.
#
#   dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 <target> [<target> ...] [-- bench args]
#
# Targets: prereqs build generate verify aot native cross test bench aec-eval vadns-eval fuzz demo help.
# Every target says what it does and fails loudly: a failing step stops the script with exit 1.
# Plain $args, not a param block: an advanced script's parameter binder takes '--' and '--filter' for
# parameter names, so the bench arguments after '--' would never arrive.
$Arguments = if ($args.Count -gt 0) { [string[]]$args } else { [string[]]@('help') }

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:NO_COLOR = '1'

$Root = $PSScriptRoot
$Artifacts = if ($env:SIPWIRE_ARTIFACTS) { $env:SIPWIRE_ARTIFACTS } else { Join-Path $Root 'artifacts' }
$Configuration = 'Release'
$Solution = Join-Path $Root 'Sdk.sln'
$Header = Join-Path $Root 'bindings/c/include/sipwire.h'
$Rids = @('linux-x64', 'linux-arm64')

# Debian packages the build and the tests need; `prereqs` installs them (one list, one place).
$DebianPackages = @(
    'cmake', 'ninja-build', 'gcc', 'g++', 'make', 'pkg-config',
    # libclang for the generator of the C# bindings of native/.
    'libclang1-14', 'libclang-common-14-dev',
    # NativeAOT for linux-arm64 (clang + lld), ABI tests cross-built and run under qemu-user.
    'clang', 'lld', 'llvm', 'gcc-aarch64-linux-gnu', 'g++-aarch64-linux-gnu', 'libc6-dev-arm64-cross', 'qemu-user',
    # Linux cross targets and bare-metal Cortex-M, run under qemu-user and qemu-system-arm.
    'gcc-arm-linux-gnueabihf', 'libc6-dev-armhf-cross', 'gcc-mips-linux-gnu', 'libc6-dev-mips-cross',
    'gcc-mipsel-linux-gnu', 'libc6-dev-mipsel-cross', 'gcc-riscv64-linux-gnu', 'libc6-dev-riscv64-cross',
    'gcc-arm-none-eabi', 'libnewlib-arm-none-eabi', 'qemu-system-arm',
    # Reference implementations: test oracles and the baselines measured in the same benchmark run.
    'libosip2-dev', 'libspandsp-dev', 'libspeexdsp-dev', 'libsrtp2-dev', 'libopus-dev',
    # Test signals (speech-like far end for the echo canceller) and audio checks.
    'espeak-ng', 'sox',
    # Real peers started by the tests and benchmarks: a shared location store, Kamailio as registrar/proxy
    # (and TLS listener) and baseline, baresip as the far phone, a DNS server for NAPTR/SRV on loopback.
    'redis-server', 'kamailio', 'kamailio-tls-modules', 'baresip-core', 'dnsmasq-base',
    # The firmware TLS adapter of boards/ (mbedTLS) and the openssl CLI as the independent S/MIME peer.
    'libmbedtls-dev', 'openssl'
)

# Test counts gathered by the steps of this run, printed as the last line.
$script:Counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
$script:Failures = [System.Collections.Generic.List[string]]::new()

function Write-Step([string] $Message) {
    Write-Host "==> $Message"
}

# Runs a program, echoing its output, and throws when it exits non-zero.
function Invoke-Checked {
    param([string] $Program, [string[]] $ArgumentList, [string] $WorkingDirectory = $Root)
    Write-Host "    $Program $($ArgumentList -join ' ')"
    Push-Location $WorkingDirectory
    try {
        & $Program @ArgumentList
        if ($LASTEXITCODE -ne 0) {
            throw "$Program exited with code $LASTEXITCODE"
        }
    }
    finally {
        Pop-Location
    }
}

# Runs a program, echoing and returning its output lines; the exit code is left in $LASTEXITCODE.
function Invoke-Captured {
    param([string] $Program, [string[]] $ArgumentList)
    Write-Host "    $Program $($ArgumentList -join ' ')"
    $lines = [System.Collections.Generic.List[string]]::new()
    & $Program @ArgumentList 2>&1 | ForEach-Object {
        $line = "$_"
        Write-Host $line
        $lines.Add($line)
    }
    return , $lines
}

function Test-Root {
    return (& id -u) -eq '0'
}

function Get-MissingPackages {
    $missing = @()
    foreach ($package in $DebianPackages) {
        $status = & dpkg-query -W -f='${Status}' $package 2>$null
        if ($LASTEXITCODE -ne 0 -or $status -ne 'install ok installed') {
            $missing += $package
        }
    }
    return $missing
}

function Invoke-Prereqs {
    Write-Step 'prereqs: Debian packages'
    $missing = @(Get-MissingPackages)
    if ($missing.Count -eq 0) {
        Write-Host '    all present'
        return
    }
    if (-not (Test-Root)) {
        throw "missing Debian packages: $($missing -join ' '). Run as root: apt-get update && apt-get install -y --no-install-recommends $($missing -join ' ')"
    }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Checked 'apt-get' @('update', '-q')
    Invoke-Checked 'apt-get' (@('install', '-y', '-q', '--no-install-recommends') + $missing)
}

function Invoke-Build {
    Write-Step "build: Sdk.sln ($Configuration; warnings are errors)"
    Invoke-Checked 'dotnet' @('build', $Solution, '-c', $Configuration, '-nologo', '-v', 'minimal')
}

function Get-NativeAssembly {
    $dll = Join-Path $Artifacts "bin/Sipwire.Native/$($Configuration.ToLowerInvariant())/Sipwire.Native.dll"
    if (-not (Test-Path $dll)) {
        throw "$dll is missing: run the build target first"
    }
    return $dll
}

function Invoke-HeaderGen([string[]] $Extra) {
    $tool = Join-Path $Artifacts "bin/Sipwire.HeaderGen/$($Configuration.ToLowerInvariant())/Sipwire.HeaderGen.dll"
    Invoke-Checked 'dotnet' (@($tool, (Get-NativeAssembly), $Header) + $Extra)
}

# The C# bindings of native/ are generated from native/include/sipwire/*.h with libclang.
function Invoke-BindGen([string[]] $Extra) {
    $tool = Join-Path $Artifacts "bin/Sipwire.BindGen/$($Configuration.ToLowerInvariant())/Sipwire.BindGen.dll"
    Invoke-Checked 'dotnet' (@($tool, (Join-Path $Root 'native/include'), (Join-Path $Root 'bindings/csharp/Sipwire.Kernels.Native')) + $Extra)
}

function Invoke-Generate {
    Write-Step 'generate: bindings/c/include/sipwire.h from the C ABI exports, bindings/csharp from native/include'
    Invoke-HeaderGen @()
    Invoke-BindGen @()
}

function Invoke-Verify {
    Write-Step 'verify: generated files match what their generators produce'
    Invoke-HeaderGen @('--check')
    Invoke-BindGen @('--check')
}

function Get-LibDir([string] $Rid, [string] $Kind) {
    return Join-Path $Artifacts "lib/$Rid/$Kind"
}

# Publishes libsipwire for one RID as a shared (.so + soname link) and a static (.a + linkdeps) library.
function Publish-Library([string] $Rid) {
    foreach ($kind in @('Shared', 'Static')) {
        $out = Get-LibDir $Rid $kind.ToLowerInvariant()
        Write-Step "aot: libsipwire ($Rid, $($kind.ToLowerInvariant())) -> $out"
        $publishArgs = @('publish', (Join-Path $Root 'managed/Sipwire.Native/Sipwire.Native.csproj'),
            '-c', $Configuration, '-r', $Rid, "-p:NativeLib=$kind", '-o', $out, '-nologo', '-v', 'minimal')
        if ($Rid -ne 'linux-x64') {
            # Cross: clang drives lld for the target; host gcc cannot (see shared notes).
            $publishArgs += '-p:LinkerFlavor=lld'
        }
        Invoke-Checked 'dotnet' $publishArgs
    }
    $shared = Get-LibDir $Rid 'shared'
    $so = Join-Path $shared 'libsipwire.so'
    # The soname is libsipwire.so.0: programs linked against the .so look for that name.
    & ln -sf 'libsipwire.so' (Join-Path $shared 'libsipwire.so.0')
    $objdump = if ($Rid -eq 'linux-x64') { 'objdump' } else { 'llvm-objdump' }
    $private = & $objdump -T $so | Select-String 'GLIBC_PRIVATE'
    if ($private) {
        throw "$so needs GLIBC_PRIVATE symbols: $private"
    }
    $size = (Get-Item $so).Length
    Write-Host ("    {0} stripped libsipwire.so: {1:N0} bytes; no GLIBC_PRIVATE symbol" -f $Rid, $size)
}

function Invoke-Aot([string[]] $Which = @('linux-x64')) {
    foreach ($rid in $Which) {
        Publish-Library $rid
    }
}

# Parses CTest's "N% tests passed, F tests failed out of T" and adds it to the run's counts.
function Add-CTestCounts([System.Collections.Generic.List[string]] $Lines, [string] $What) {
    $summary = $Lines | Select-String -Pattern 'tests passed, (\d+) tests? failed out of (\d+)' | Select-Object -Last 1
    if (-not $summary) {
        $script:Failures.Add("$What`: ctest printed no summary (no tests ran?)")
        $script:Counts.Failed++
        return
    }
    $failed = [int]$summary.Matches[0].Groups[1].Value
    $total = [int]$summary.Matches[0].Groups[2].Value
    if ($total -eq 0) {
        $script:Failures.Add("$What`: ctest ran no test")
    }
    $script:Counts.Passed += $total - $failed
    $script:Counts.Failed += $failed
    if ($failed -gt 0) {
        $script:Failures.Add("$What`: $failed of $total ctest tests failed")
        # ctest's closing list: "  3 - test_g722 (Failed)", named again next to the counts.
        foreach ($name in @($Lines | Select-String -Pattern '^\s+\d+ - (\S+) \(([^)]+)\)\s*$')) {
            $script:Failures.Add("$What`: $($name.Matches[0].Groups[2].Value.ToLowerInvariant()) $($name.Matches[0].Groups[1].Value)")
        }
    }
}

# Configures, builds and runs ctest for one CMake project; counts its tests.
function Invoke-CMakeTests([string] $What, [string] $Source, [string] $BuildDir, [string[]] $Defines) {
    Write-Step "$What`: cmake + ctest ($BuildDir)"
    Invoke-Checked 'cmake' (@('-S', $Source, '-B', $BuildDir, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release') + $Defines)
    Invoke-Checked 'cmake' @('--build', $BuildDir)
    $lines = Invoke-Captured 'ctest' @('--test-dir', $BuildDir, '--output-on-failure', '--timeout', '300')
    Add-CTestCounts $lines $What
}

function Get-Toolchain([string] $Name) {
    return "-DCMAKE_TOOLCHAIN_FILE=$(Join-Path $Root "cmake/toolchains/$Name.cmake")"
}

# The C side (native/ kernels and boards/) for one CMakePresets.json target, built from the root
# CMakeLists.txt into artifacts/cmake/<preset> and tested with ctest (under qemu for foreign targets).
function Invoke-PresetTests([string] $Preset) {
    $buildDir = Join-Path $Artifacts "cmake/c/$Preset"
    Write-Step "C ($Preset): cmake --preset + ctest ($buildDir)"
    Push-Location $Root
    try {
        Invoke-Checked 'cmake' @('--preset', $Preset, '-B', $buildDir)
        Invoke-Checked 'cmake' @('--build', $buildDir)
        $lines = Invoke-Captured 'ctest' @('--test-dir', $buildDir, '--output-on-failure', '--timeout', '300', '-j2')
        Add-CTestCounts $lines "C ($Preset)"
    }
    finally {
        Pop-Location
    }
}

# Every cross target of the matrix: Linux user-mode targets under qemu-user, Cortex-M under
# qemu-system-arm. Big-endian MIPS is the one that catches byte-order bugs.
$CrossPresets = @('aarch64-linux-gnu', 'arm-linux-gnueabihf', 'mips-linux-gnu', 'mipsel-linux-gnu',
    'riscv64-linux-gnu', 'mps2-an385', 'mps2-an386')

function Invoke-Native {
    Invoke-PresetTests 'host'
    # The C# tests compare managed kernels with these C kernels, through the generated bindings.
    $env:SIPWIRE_NATIVE_LIB_DIR = Join-Path $Artifacts "cmake/c/host/native"
}

function Invoke-AbiTests([string] $Rid, [string[]] $Defines) {
    $shared = Get-LibDir $Rid 'shared'
    $static = Get-LibDir $Rid 'static'
    Invoke-CMakeTests "abi ($Rid)" (Join-Path $Root 'tests/abi') (Join-Path $Artifacts "cmake/abi-$Rid") `
        (@("-DSIPWIRE_SHARED_DIR=$shared", "-DSIPWIRE_STATIC_DIR=$static") + $Defines)
}

# A sample firmware of boards/posix (ata-sim) linked against libsipwire for one runtime, shared and static.
# Its call tests use fixed loopback ports and run serially, so the x64 and arm64 runs never overlap.
function Invoke-BoardTests([string] $Board, [string] $Rid, [string[]] $Defines) {
    Invoke-CMakeTests "$Board ($Rid)" (Join-Path $Root "boards/posix/$Board") (Join-Path $Artifacts "cmake/$Board-$Rid") `
        (@("-DSIPWIRE_SHARED_DIR=$(Get-LibDir $Rid 'shared')", "-DSIPWIRE_STATIC_DIR=$(Get-LibDir $Rid 'static')") + $Defines)
}

function Invoke-Cross {
    Publish-Library 'linux-arm64'
    Invoke-AbiTests 'linux-arm64' @((Get-Toolchain 'aarch64-linux-gnu'))
    foreach ($preset in $CrossPresets) {
        Invoke-PresetTests $preset
    }
}

# .text/.data/.bss per kernel and for the microkernel on every target, RAM per channel.
function Invoke-Footprint {
    foreach ($preset in @('host') + $CrossPresets) {
        $buildDir = Join-Path $Artifacts "cmake/c/$preset"
        Push-Location $Root
        try {
            Invoke-Checked 'cmake' @('--preset', $preset, '-B', $buildDir)
            Invoke-Checked 'cmake' @('--build', $buildDir)
        }
        finally {
            Pop-Location
        }
    }
    Write-Step 'footprint: boards/FOOTPRINT.md'
    Invoke-Checked 'sh' @((Join-Path $Root 'tools/footprint.sh'), (Join-Path $Artifacts "cmake/c"), (Join-Path $Root "boards/FOOTPRINT.md"))
}

# Parses the "Passed!/Failed! - Failed: F, Passed: P, Skipped: S, Total: T ... - X.dll" lines of
# `dotnet test` into the run's counts and returns how many result lines there were. `dotnet test` exits
# 0 for a project without tests, so every result must have a non-zero total.
function Add-DotnetTestCounts([System.Collections.Generic.List[string]] $Lines, [int] $ExitCode, [string] $What) {
    $results = @($Lines | Select-String -Pattern '^\s*(Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+),\s+Total:\s+(\d+).*-\s+(\S+\.dll)')
    foreach ($result in $results) {
        $g = $result.Matches[0].Groups
        $script:Counts.Failed += [int]$g[2].Value
        $script:Counts.Passed += [int]$g[3].Value
        $script:Counts.Skipped += [int]$g[4].Value
        if ([int]$g[5].Value -eq 0) {
            $script:Failures.Add("$What`: $($g[6].Value) ran no test")
        }
    }
    # VSTest prints "  Failed <test name> [<time>]" for each failed test; named again at the end of
    # the run, next to the counts, so a CI log that keeps only its tail still says which test failed.
    foreach ($failed in @($Lines | Select-String -Pattern '^\s+Failed\s+(\S.*?)\s+\[[^\]]*\]\s*$')) {
        $script:Failures.Add("$What`: failed $($failed.Matches[0].Groups[1].Value)")
    }
    if ($ExitCode -ne 0) {
        $script:Failures.Add("$What`: dotnet test exited with code $ExitCode")
    }
    return $results.Count
}

# Runs every NUnit project of the solution; each test project must report results.
function Invoke-DotnetTests {
    Write-Step 'dotnet test: every NUnit project in Sdk.sln'
    $lines = Invoke-Captured 'dotnet' @('test', $Solution, '-c', $Configuration, '--no-build', '-nologo')
    $reported = Add-DotnetTestCounts $lines $LASTEXITCODE 'dotnet test'
    $projects = @(& dotnet sln $Solution list | Where-Object { $_ -match '^tests[/\\][^/\\]+[/\\][^/\\]+\.Tests\.csproj$' })
    if ($reported -lt $projects.Count) {
        $script:Failures.Add("dotnet test: $($projects.Count) test projects but only $reported reported results")
    }
}

# The kernels' tests again with AVX2 off and with all hardware intrinsics off, so the Vector128 and
# the scalar fallbacks of every dispatch are exercised on this machine too (STYLE.md, "Tests").
function Invoke-DspIsaTests {
    foreach ($setting in @('DOTNET_EnableAVX2', 'DOTNET_EnableHWIntrinsic')) {
        Write-Step "dotnet test: Sipwire.Dsp.Tests with $setting=0"
        Set-Item "env:$setting" '0'
        try {
            $lines = Invoke-Captured 'dotnet' @('test', (Join-Path $Root 'tests/Sipwire.Dsp.Tests/Sipwire.Dsp.Tests.csproj'),
                '-c', $Configuration, '--no-build', '-nologo')
            $reported = Add-DotnetTestCounts $lines $LASTEXITCODE "Sipwire.Dsp.Tests ($setting=0)"
            if ($reported -eq 0) {
                $script:Failures.Add("Sipwire.Dsp.Tests ($setting=0) reported no results")
            }
        }
        finally {
            Remove-Item "env:$setting"
        }
    }
}

# Runs one step of the test target; a failure is recorded and the run goes on, so one broken step
# does not hide the results of the others.
function Invoke-Guarded([string] $Name, [scriptblock] $Step) {
    $failedBefore = $script:Counts.Failed
    try {
        # The step's output goes to the console, so only the success flag is returned.
        & $Step | Out-Host
        return $true
    }
    catch {
        $script:Failures.Add("$Name`: $($_.Exception.Message)")
        Write-Host "FAILED ($Name): $($_.Exception.Message)"
        # A step that failed before its tests could report (a build error) counts as one failed test,
        # so the last line never says "0 failed" for a failing run.
        if ($script:Counts.Failed -eq $failedBefore) {
            $script:Counts.Failed++
        }
        return $false
    }
}

# A bounded, seeded mutation run of the SIP and SDP parsers over tests/vectors/sip (about a minute);
# counted as one test. Any finding is written to artifacts/fuzz-findings and fails the run.
function Invoke-SeededFuzz {
    Write-Step 'fuzz (seeded, 60 s): SIP and SDP parsers'
    $tool = Join-Path $Artifacts "bin/Sipwire.Fuzz/$($Configuration.ToLowerInvariant())/Sipwire.Fuzz.dll"
    $findings = Join-Path $Artifacts 'fuzz-findings'
    & dotnet $tool --seeded 60 --findings $findings (Join-Path $Root 'tests/vectors/sip')
    if ($LASTEXITCODE -eq 0) {
        $script:Counts.Passed++
    }
    else {
        $script:Counts.Failed++
        $script:Failures.Add("fuzz (seeded): exit code $LASTEXITCODE; findings in $findings")
    }
}

# The long coverage-guided run: afl++ over a SharpFuzz-instrumented Sipwire.dll.
function Invoke-Fuzz {
    $fuzz = Join-Path $Artifacts 'fuzz'
    Write-Step "fuzz: afl++ over instrumented Sipwire.dll ($fuzz; one hour)"
    if (-not (Get-Command 'afl-fuzz' -ErrorAction SilentlyContinue)) {
        throw "afl-fuzz is missing: apt-get install -y afl++"
    }
    Invoke-Checked 'dotnet' @('tool', 'install', '--tool-path', (Join-Path $Artifacts 'tools'), 'SharpFuzz.CommandLine', '--version', '2.3.0')
    Invoke-Checked 'dotnet' @('publish', (Join-Path $Root 'tests/Sipwire.Fuzz/Sipwire.Fuzz.csproj'), '-c', $Configuration, '-o', "$fuzz/bin")
    Invoke-Checked (Join-Path $Artifacts 'tools/sharpfuzz') @("$fuzz/bin/Sipwire.dll")
    Invoke-Checked 'dotnet' @("$fuzz/bin/Sipwire.Fuzz.dll", '--export-corpus', "$fuzz/in", (Join-Path $Root 'tests/vectors/sip'))
    $env:AFL_SKIP_CPUFREQ = '1'
    $env:AFL_SKIP_BIN_CHECK = '1'
    $env:AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES = '1'
    Invoke-Checked 'afl-fuzz' @('-i', "$fuzz/in", '-o', "$fuzz/out", '-t', '10000', '-m', 'none', '-V', '3600', '--',
        'dotnet', "$fuzz/bin/Sipwire.Fuzz.dll", '--afl')
    Write-Host "    crashes and hangs (if any) are in $fuzz/out; replay one with Sipwire.Fuzz.dll --replay FILE"
}

# Native baselines the benchmarks P/Invoke (libosip2, SpeexDSP, libsrtp2, libopus shims), each a small CMake project.
function Invoke-BenchBaselines {
    # abi-* are C programs against the published libsipwire.so (run by hand after `aot`; see their CMakeLists).
    foreach ($baseline in Get-ChildItem (Join-Path $Root 'bench/native') -Directory | Where-Object { -not $_.Name.StartsWith('abi-') }) {
        $buildDir = Join-Path $Artifacts "native/$($baseline.Name)"
        Write-Step "bench baseline: $($baseline.Name) -> $buildDir"
        Invoke-Checked 'cmake' @('-S', $baseline.FullName, '-B', $buildDir, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release')
        Invoke-Checked 'cmake' @('--build', $buildDir)
    }
    $env:SIPWIRE_OSIP_BASELINE_DIR = Join-Path $Artifacts 'native/osip'
    $env:SIPWIRE_SPEEX_BASELINE_DIR = Join-Path $Artifacts 'native/speexdsp'
}

# Echo canceller evaluation: ours (C# and C) and SpeexDSP's full chain on the same speech-like,
# composite-source and white-noise far ends, at 16 and 8 kHz, with a quiet (-60 dB white) and a realistic
# (-45 dB pink) near-end noise floor, and speech through a saturating loudspeaker; ERLE over time,
# convergence, double talk, noise transparency, PNG plots.
function Invoke-AecEval {
    Invoke-Native
    Invoke-BenchBaselines
    $tool = Join-Path $Artifacts "bin/Sipwire.AecEval/$($Configuration.ToLowerInvariant())/Sipwire.AecEval.dll"
    foreach ($rate in @(16000, 8000)) {
        foreach ($source in @('speech', 'css', 'white')) {
            foreach ($noise in @(@{ Name = 'n60'; Args = @() }, @{ Name = 'n45pink'; Args = @('--noise-db', '-45', '--pink') })) {
                $out = Join-Path $Artifacts "aec-eval/$rate-$source-$($noise.Name)"
                Write-Step "aec-eval: $rate Hz, $source far end, near-end noise $($noise.Name) -> $out (erle.png, report)"
                Invoke-Checked 'dotnet' (@($tool, '--rate', "$rate", '--source', $source, '--seconds', '40', '--out', $out) + $noise.Args)
            }
        }
        # A saturating loudspeaker (tanh 20 dB over the far end's RMS): the echo no linear filter models.
        $out = Join-Path $Artifacts "aec-eval/$rate-speech-n45pink-ls20"
        Write-Step "aec-eval: $rate Hz, speech far end through a saturating loudspeaker -> $out"
        Invoke-Checked 'dotnet' @($tool, '--rate', "$rate", '--source', 'speech', '--seconds', '40', '--out', $out,
            '--noise-db', '-45', '--pink', '--loudspeaker-db', '20')
    }
}

# VAD and noise suppressor vs SpeexDSP's preprocessor: espeak-ng speech in white/pink/babble noise at 0-20 dB SNR.
function Invoke-VadNsEval {
    Invoke-Native
    $tool = Join-Path $Artifacts "bin/Sipwire.VadNsEval/$($Configuration.ToLowerInvariant())/Sipwire.VadNsEval.dll"
    $out = Join-Path $Artifacts 'vadns-eval'
    Write-Step "vadns-eval -> $out (summary.md, results.csv)"
    Invoke-Checked 'dotnet' @($tool, '--out', $out)
}

function Invoke-Test {
    $started = Get-Date
    Invoke-Prereqs
    Invoke-Build
    $null = Invoke-Guarded 'verify' { Invoke-Verify }
    $nativeBuilt = Invoke-Guarded 'native' { Invoke-Native }
    if (-not $nativeBuilt) {
        # The C# tests still run; those comparing with the C kernels fail and say why.
        $env:SIPWIRE_NATIVE_LIB_DIR = Join-Path $Artifacts 'cmake/c/host/native'
    }
    $null = Invoke-Guarded 'dotnet test' { Invoke-DotnetTests }
    $null = Invoke-Guarded 'dotnet test (ISA)' { Invoke-DspIsaTests }
    $null = Invoke-Guarded 'fuzz (seeded)' { Invoke-SeededFuzz }
    if (Invoke-Guarded 'aot (linux-x64)' { Invoke-Aot @('linux-x64') }) {
        $null = Invoke-Guarded 'abi (linux-x64)' { Invoke-AbiTests 'linux-x64' @() }
        $null = Invoke-Guarded 'ata-sim (linux-x64)' { Invoke-BoardTests 'ata-sim' 'linux-x64' @() }
        $null = Invoke-Guarded 'tls-mbedtls' {
            Invoke-CMakeTests 'tls-mbedtls' (Join-Path $Root 'boards/posix/tls-mbedtls') (Join-Path $Artifacts 'cmake/tls-mbedtls') `
                @("-DSIPWIRE_SHARED_DIR=$(Get-LibDir 'linux-x64' 'shared')")
        }
    }
    if (Invoke-Guarded 'aot (linux-arm64)' { Publish-Library 'linux-arm64' }) {
        $null = Invoke-Guarded 'abi (linux-arm64)' { Invoke-AbiTests 'linux-arm64' @((Get-Toolchain 'aarch64-linux-gnu')) }
        $null = Invoke-Guarded 'ata-sim (linux-arm64)' { Invoke-BoardTests 'ata-sim' 'linux-arm64' @((Get-Toolchain 'aarch64-linux-gnu')) }
    }
    foreach ($preset in $CrossPresets) {
        $null = Invoke-Guarded "C ($preset)" { Invoke-PresetTests $preset }
    }
    Write-Host ("==> test finished in {0:N0} s" -f ((Get-Date) - $started).TotalSeconds)
}

function Invoke-Bench([string[]] $BenchArgs) {
    Write-Step "bench: BenchmarkDotNet $($BenchArgs -join ' ')"
    Invoke-Native
    Invoke-BenchBaselines
    if ($BenchArgs.Count -eq 0) {
        $BenchArgs = @('--filter', '*')
    }
    Invoke-Checked 'dotnet' (@('run', '-c', $Configuration, '--project', (Join-Path $Root 'bench/Sipwire.Bench'), '--') + $BenchArgs)
}

function Invoke-Demo {
    Invoke-Prereqs
    Invoke-Build
    Invoke-Aot @('linux-x64')
    # boards/posix/ata-sim: the sample ATA firmware (C) against libsipwire.so. One instance is the
    # site's registrar and redirect server (sw_registrar_start), two are phones: alice registers,
    # calls bob at sip:bob@demo.test (302 to bob's contact), talks 3 s with a 1 kHz tone one way and
    # 600 Hz the other (sw_call_write_audio/sw_call_read_audio), sends RFC 4733 DTMF, hangs up. The
    # call reports show codec, frames, level and detected tone; the received audio is kept as WAV.
    $build = Join-Path $Artifacts 'cmake/ata-sim-linux-x64'
    $source = Join-Path $Root 'boards/posix/ata-sim'
    Write-Step "demo: ata-sim registrar + two phones on loopback ($build)"
    Invoke-Checked 'cmake' @('-S', $source, '-B', $build, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
        "-DSIPWIRE_SHARED_DIR=$(Get-LibDir 'linux-x64' 'shared')")
    Invoke-Checked 'cmake' @('--build', $build)
    $env:ATA_WAV_DIR = Join-Path $Artifacts 'demo'
    Invoke-Checked 'sh' @((Join-Path $source 'run_call.sh'), '', (Join-Path $build 'ata-sim'), (Join-Path $source 'configs'))
    Write-Host "    received audio: $(Join-Path $env:ATA_WAV_DIR 'alice-received.wav'), $(Join-Path $env:ATA_WAV_DIR 'bob-received.wav')"
}

function Show-Help {
    Write-Host @'
build.ps1 <target> [<target> ...] [-- <bench arguments>]
  prereqs   install the Debian packages the build needs (as root), or list what is missing
  build     build Sdk.sln in Release (warnings are errors)
  generate  regenerate sipwire.h (from the C ABI exports) and bindings/csharp (from native/include)
  verify    fail when a generated file differs from what its generator produces
  aot       publish libsipwire (shared + static) for linux-x64 with NativeAOT; prints the .so size
  native    CMake build + ctest of native/ and boards/ on the host (preset host)
  cross     libsipwire for linux-arm64 + its ABI tests under qemu-aarch64, and native/ + boards/ for
            every cross preset (ARM, MIPS BE/LE, RISC-V under qemu-user; Cortex-M3/M4F under qemu-system-arm)
  footprint .text/.data/.bss per kernel and target, RAM per channel -> boards/FOOTPRINT.md
  test      everything above that tests, ending with "tests: N passed, N failed"
  aec-eval  echo canceller vs SpeexDSP on speech/composite/white far ends: ERLE, convergence, PNG plots
  vadns-eval VAD and noise suppressor vs SpeexDSP's preprocessor (accuracy, SNR gain, speech level)
  fuzz      one hour of coverage-guided fuzzing (afl++ + SharpFuzz) of the SIP and SDP parsers
  bench     BenchmarkDotNet (arguments after -- go to BenchmarkDotNet, e.g. -- --filter '*G711*')
  demo      the main job (see README)
'@
}

$targets = @()
$benchArgs = @()
$separator = [Array]::IndexOf($Arguments, '--')
if ($separator -ge 0) {
    $targets = @($Arguments[0..($separator - 1)] | Where-Object { $_ })
    if ($separator + 1 -lt $Arguments.Count) {
        $benchArgs = @($Arguments[($separator + 1)..($Arguments.Count - 1)])
    }
}
else {
    $targets = @($Arguments)
}

$counting = $false
try {
    foreach ($target in $targets) {
        switch ($target) {
            'prereqs' { Invoke-Prereqs }
            'build' { Invoke-Build }
            'generate' { Invoke-Build; Invoke-Generate }
            'verify' { Invoke-Build; Invoke-Verify }
            'aot' { Invoke-Aot $Rids[0] }
            'native' { $counting = $true; Invoke-Native }
            'cross' { $counting = $true; Invoke-Build; Invoke-Cross }
            'footprint' { Invoke-Footprint }
            'fuzz' { Invoke-Build; Invoke-Fuzz }
            'aec-eval' { Invoke-Build; Invoke-AecEval }
            'vadns-eval' { Invoke-Build; Invoke-VadNsEval }
            'test' { $counting = $true; Invoke-Test }
            'bench' { Invoke-Build; Invoke-Bench $benchArgs }
            'demo' { Invoke-Demo }
            'help' { Show-Help }
            default { Show-Help; throw "unknown target '$target'" }
        }
    }
}
catch {
    $script:Failures.Add("$($_.Exception.Message)")
    Write-Host "FAILED: $($_.Exception.Message)"
    if ($_.ScriptStackTrace) {
        Write-Host $_.ScriptStackTrace
    }
}

foreach ($failure in $script:Failures) {
    Write-Host "failure: $failure"
}
if ($counting) {
    $line = "tests: $($script:Counts.Passed) passed, $($script:Counts.Failed) failed"
    if ($script:Counts.Skipped -gt 0) {
        $line += ", $($script:Counts.Skipped) skipped"
    }
    Write-Host $line
}
exit $(if ($script:Failures.Count -eq 0) { 0 } else { 1 })
