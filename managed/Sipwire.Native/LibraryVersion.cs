// SPDX-License-Identifier: MIT
// The library version, read from the assembly version that Directory.Build.props sets.

using System;

namespace Sipwire.Native;

/// <summary>One source for the version: the assembly version (VersionPrefix in Directory.Build.props).</summary>
internal static class LibraryVersion
{
    private static readonly Version s_version = typeof(LibraryVersion).Assembly.GetName().Version ?? new Version(0, 0, 0);

    /// <summary><c>(major &lt;&lt; 16) | (minor &lt;&lt; 8) | patch</c>, as SW_VERSION_NUMBER in the header.</summary>
    public static uint Number => ((uint)s_version.Major << 16) | ((uint)s_version.Minor << 8) | (uint)s_version.Build;
}
