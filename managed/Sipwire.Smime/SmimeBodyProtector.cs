// S/MIME body protection for SIP (RFC 3261 §23, RFC 8591) with CMS (RFC 5652) through System.Security.Cryptography.Pkcs.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using Sipwire.UserAgent;

namespace Sipwire.Smime;

/// <summary>
/// Signs (multipart/signed or opaque signed-data), encrypts (enveloped-data, sign-then-encrypt) and unwraps
/// SIP bodies. Verification checks the CMS signature, the certificate chain against
/// <see cref="SmimeOptions.TrustAnchors"/> and that the certificate names the far end's AoR (§23.2).
/// Thread-safe; never throws for bad input.
/// </summary>
public sealed partial class SmimeBodyProtector : IBodyProtector
{
    private const int MaxNesting = 4;
    private readonly SmimeOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<string, X509Certificate2> _learned = new(StringComparer.Ordinal);
    private readonly Queue<string> _learnedOrder = new();

    /// <summary>Creates the protector.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public SmimeBodyProtector(SmimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The options.</summary>
    public SmimeOptions Options => _options;

    /// <summary>The certificate we encrypt to for <paramref name="uri"/>: a configured peer certificate naming its
    /// AoR, else one learned from a verified signed body; null when we have none.</summary>
    public X509Certificate2? FindPeerCertificate(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string? aor = CertificateIdentity.AddressOfRecord(uri);
        if (aor is null) return null;
        foreach (X509Certificate2 c in _options.PeerCertificates)
        {
            if (CertificateIdentity.Matches(CertificateIdentity.GetIdentities(c), aor)) return c;
        }
        lock (_gate)
        {
            return _learned.GetValueOrDefault(aor);
        }
    }

    // RFC 3261 §23.2: a UA may keep the certificates of verified signers bound to their AoR, so that it can
    // encrypt to them later (e.g. the SDP answer to a signed offer).
    private void Learn(string aor, X509Certificate2 certificate)
    {
        if (_options.MaxLearnedCertificates == 0) return;
        lock (_gate)
        {
            if (_learned.TryAdd(aor, certificate))
            {
                _learnedOrder.Enqueue(aor);
                while (_learned.Count > _options.MaxLearnedCertificates) _learned.Remove(_learnedOrder.Dequeue());
            }
            else
            {
                _learned[aor] = certificate;
            }
        }
    }
}
