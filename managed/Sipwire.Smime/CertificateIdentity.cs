// The SIP identities a certificate names (subjectAltName URI and rfc822Name) and their match against an AoR (RFC 3261 §23.2).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Sipwire.Sip;

namespace Sipwire.Smime;

/// <summary>Reads subjectAltName and compares it with addresses of record.</summary>
internal static class CertificateIdentity
{
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>The URIs ([6]) and e-mail addresses ([1]) in the subjectAltName extension (RFC 5280 §4.2.1.6).</summary>
    public static List<string> GetIdentities(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid) continue;
            try
            {
                var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
                AsnReader sequence = reader.ReadSequence();
                while (sequence.HasData)
                {
                    Asn1Tag tag = sequence.PeekTag();
                    if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue is 1 or 6 && !tag.IsConstructed)
                    {
                        names.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    }
                    else
                    {
                        sequence.ReadEncodedValue();
                    }
                }
            }
            catch (AsnContentException)
            {
                // A malformed extension names nobody.
            }
        }
        return names;
    }

    /// <summary>"user@host" of a SIP or SIPS URI (name-addr or bare), host lower-cased, user as is
    /// (RFC 3261 §19.1.4: the user part is case-sensitive); null when <paramref name="uri"/> is not one.</summary>
    public static string? AddressOfRecord(string uri)
    {
        string text = uri.Trim();
        int open = text.IndexOf('<', StringComparison.Ordinal);
        if (open >= 0)
        {
            int close = text.IndexOf('>', open + 1);
            if (close < 0) return null;
            text = text[(open + 1)..close];
        }
        if (!SipUri.TryParse(text, out SipUri? parsed) || parsed is null || string.IsNullOrEmpty(parsed.Host)) return null;
        string host = parsed.Host.ToLowerInvariant();
        string? user = SipUri.Unescape(parsed.User);
        return string.IsNullOrEmpty(user) ? host : user + "@" + host;
    }

    /// <summary>True when one of <paramref name="identities"/> names <paramref name="aor"/> ("user@host"):
    /// a sip:/sips: URI with that user and host, or an e-mail address equal to it (host case-insensitive).</summary>
    public static bool Matches(IEnumerable<string> identities, string aor)
    {
        foreach (string identity in identities)
        {
            string? candidate = identity.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || identity.StartsWith("sips:", StringComparison.OrdinalIgnoreCase)
                ? AddressOfRecord(identity)
                : identity.Contains('@', StringComparison.Ordinal) && !identity.Contains(':', StringComparison.Ordinal) ? NormalizeMail(identity) : null;
            if (candidate is not null && string.Equals(candidate, aor, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static string NormalizeMail(string mail)
    {
        int at = mail.LastIndexOf('@');
        return mail[..at] + "@" + mail[(at + 1)..].ToLowerInvariant();
    }
}
