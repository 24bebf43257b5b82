// Thrown by the fuzz target when the parser breaks one of its documented guarantees.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Fuzz;

/// <summary>A broken parser invariant found by fuzzing.</summary>
internal sealed class InvariantException : Exception
{
    public InvariantException(string message) : base(message)
    {
    }

    public InvariantException()
    {
    }

    public InvariantException(string message, Exception inner) : base(message, inner)
    {
    }
}
