// Builds location bindings for the location service tests.
// SPDX-License-Identifier: MIT

using System.Text;
using Sipwire.Location;

namespace Sipwire.Tests.Location;

internal static class TestBindings
{
    public static LocationBinding Make(string contact, string callId, uint cseq, long expiresAtMs, int q = -1, string instance = "", int regId = -1, string path = "") =>
        new(Encoding.UTF8.GetBytes(contact), default, Encoding.UTF8.GetBytes(callId), cseq, q, expiresAtMs,
            Encoding.UTF8.GetBytes(path), Encoding.UTF8.GetBytes(instance), regId, "udp:192.0.2.1:5060"u8);
}
