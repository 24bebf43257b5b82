// Lets the interop and CLI tests run `sipwire ua` in-process through UaCommand.Run.
// SPDX-License-Identifier: MIT

using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Sipwire.Interop.Tests")]
