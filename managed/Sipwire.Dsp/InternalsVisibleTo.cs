// Lets the kernel tests and benchmarks call each SIMD path directly (Scalar, Vector128, Vector256).
// SPDX-License-Identifier: MIT

using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Sipwire.Dsp.Tests")]
[assembly: InternalsVisibleTo("Sipwire.Bench")]
