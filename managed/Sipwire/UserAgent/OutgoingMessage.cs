// State of one MESSAGE we are sending (RFC 3428 §4), kept until its final response.
// SPDX-License-Identifier: MIT

using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.UserAgent;

internal sealed class OutgoingMessage
{
    public OutgoingMessage(int id, string targetUri, PeerAddress destination, string contentType, byte[] body, string callId, string fromTag, ClientAuthenticator auth)
    {
        Id = id;
        TargetUri = targetUri;
        Destination = destination;
        ContentType = contentType;
        Body = body;
        CallId = callId;
        FromTag = fromTag;
        Auth = auth;
    }

    public int Id { get; }

    public string TargetUri { get; }

    public PeerAddress Destination { get; }

    public string ContentType { get; }

    /// <summary>Content-Disposition of a protected body (RFC 3261 §23.4.3), or null.</summary>
    public string? ContentDisposition { get; init; }

    public byte[] Body { get; }

    /// <summary>The call whose dialog the MESSAGE is sent in (RFC 3428 §7), or null outside a dialog.</summary>
    public SipCall? Call { get; init; }

    public string CallId { get; }

    public string FromTag { get; }

    public ClientAuthenticator Auth { get; }

    public uint CSeq { get; set; }

    public Transaction? Pending { get; set; }

    public int PendingGeneration { get; set; }
}
