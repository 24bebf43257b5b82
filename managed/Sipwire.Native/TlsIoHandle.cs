// SPDX-License-Identifier: MIT
// The opaque C type behind sw_tls_io *; never instantiated, only pointed to.

using System.Runtime.InteropServices;

namespace Sipwire.Native;

/// <summary>The TCP connection under one TLS session: the provider's I/O goes through sw_tls_io_send() and sw_tls_io_recv().</summary>
[CName("sw_tls_io")]
[StructLayout(LayoutKind.Sequential, Size = 0)]
internal struct TlsIoHandle
{
}
