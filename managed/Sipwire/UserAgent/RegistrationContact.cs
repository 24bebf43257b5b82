// One contact a client registration binds to its address-of-record (RFC 3261 §10.2.1, RFC 5626 §4.2).
// SPDX-License-Identifier: MIT

using System;
using System.Globalization;
using Sipwire.Sip;

namespace Sipwire.UserAgent;

/// <summary>
/// A contact sent in the REGISTER: its URI, an optional preference and, for RFC 5626 outbound, the
/// instance ID and reg-id of the flow it is registered over.
/// </summary>
/// <param name="Uri">The contact URI: "sip:alice@192.0.2.1:5060".</param>
public sealed record RegistrationContact(string Uri)
{
    /// <summary>RFC 3261 §20.10 q-value in thousandths (0 to 1000, "q=0.5" is 500); null to send none.</summary>
    public int? QMillis { get; init; }

    /// <summary>
    /// Requested interval for this contact in seconds (RFC 3261 §10.2.1.1 expires parameter); null for
    /// <see cref="RegistrationOptions.Expires"/>. The registrar may shorten it.
    /// </summary>
    public int? Expires { get; init; }

    /// <summary>RFC 5626 §4.1 instance ID, e.g. "&lt;urn:uuid:...&gt;", sent as +sip.instance; null for none.</summary>
    public string? InstanceId { get; init; }

    /// <summary>RFC 5626 §4.2 reg-id (1 or more) sent with <see cref="InstanceId"/>; 0 for none.</summary>
    public int RegId { get; init; }

    /// <summary>The q-value as written in the header field: "1", "0.5", "0.125" (RFC 3261 §25.1 qvalue).</summary>
    public string? QText => QMillis switch
    {
        null => null,
        1000 => "1",
        0 => "0",
        int q => "0." + q.ToString("000", CultureInfo.InvariantCulture).TrimEnd('0'),
    };

    /// <summary>Checks the contact and says what is wrong.</summary>
    /// <exception cref="ArgumentException">The URI is not a SIP URI, a value is out of range or holds control characters.</exception>
    public void Validate()
    {
        if (Uri is null || !SipUri.TryParse(Uri, out _)) throw new ArgumentException($"Contact '{Uri}' is not a SIP URI (RFC 3261 §10.2.1).");
        // The URI goes inside <...> verbatim: no control characters (header injection) and no '>'.
        if (Uri.AsSpan().IndexOfAny('>', '<') >= 0 || HasControl(Uri) || HasControl(InstanceId))
            throw new ArgumentException($"Contact '{Uri}' holds a control character or an angle bracket.");
        if (QMillis is < 0 or > 1000) throw new ArgumentException($"QMillis must be 0 to 1000 (q=0 to q=1, RFC 3261 §20.10), not {QMillis}.");
        if (Expires < 1) throw new ArgumentException($"Expires of contact '{Uri}' must be at least 1 second, not {Expires}.");
        if (RegId < 0 || (RegId > 0 && InstanceId is null)) throw new ArgumentException("RegId must be positive and needs an InstanceId (RFC 5626 §4.2).");
    }

    private static bool HasControl(string? s)
    {
        if (s is null) return false;
        foreach (char c in s)
        {
            if (char.IsControl(c)) return true;
        }
        return false;
    }
}
