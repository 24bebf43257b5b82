// SPDX-License-Identifier: MIT
// Names the C identifier a C# declaration stands for in the generated sipwire.h.

using System;

namespace Sipwire.Native;

/// <summary>
/// The C name of a type or constant in <c>sipwire.h</c>. The header generator reads it from metadata;
/// it is the single place where a C name is written.
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Field | AttributeTargets.Delegate)]
internal sealed class CNameAttribute(string name) : Attribute
{
    /// <summary>The C identifier.</summary>
    public string Name { get; } = name;
}
