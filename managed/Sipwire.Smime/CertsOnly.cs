// The certs-only S/MIME message (RFC 8551 §3.6): a SignedData without content or signers that carries certificates.
// SPDX-License-Identifier: MIT

using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Sipwire.Smime;

/// <summary>Writes a degenerate SignedData (RFC 5652 §5.1) holding only certificates - what a 493 carries (RFC 3261 §23.2).</summary>
internal static class CertsOnly
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";
    private const string DataOid = "1.2.840.113549.1.7.1";

    public static byte[] Encode(X509Certificate2Collection certificates)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(SignedDataOid);
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (w.PushSequence())
            {
                w.WriteInteger(1); // RFC 5652 §5.1: version 1 with only X.509 certificates and id-data
                using (w.PushSetOf())
                {
                    // no digest algorithms: there are no signers
                }
                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier(DataOid); // encapContentInfo without eContent
                }
                using (w.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    foreach (X509Certificate2 c in certificates) w.WriteEncodedValue(c.RawData);
                }
                using (w.PushSetOf())
                {
                    // no signerInfos
                }
            }
        }
        return w.Encode();
    }
}
