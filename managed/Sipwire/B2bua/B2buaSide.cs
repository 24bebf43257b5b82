// Which leg of a bridged call a message came from.
// SPDX-License-Identifier: MIT

namespace Sipwire.B2bua;

/// <summary>The two legs of a <see cref="B2buaCall"/>.</summary>
public enum B2buaSide
{
    /// <summary>The leg towards the caller: the B2BUA is its UAS.</summary>
    Caller = 0,
    /// <summary>The leg towards the callee: the B2BUA is its UAC.</summary>
    Callee = 1,
}
