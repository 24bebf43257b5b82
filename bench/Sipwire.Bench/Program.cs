// SPDX-License-Identifier: MIT
// BenchmarkDotNet entry point: `build.ps1 bench` passes its arguments through.

using BenchmarkDotNet.Running;

namespace Sipwire.Bench;

internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
