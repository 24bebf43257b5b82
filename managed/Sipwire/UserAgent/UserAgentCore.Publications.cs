// The UA core's event state publication client (RFC 3903): PUBLISH with SIP-ETag / SIP-If-Match.
// SPDX-License-Identifier: MIT

using Sipwire.Sip;
using Sipwire.Transactions;

namespace Sipwire.UserAgent;

#pragma warning disable CA1822 // TODO(#5): replaced by the PUBLISH client in this file's next commit
public sealed partial class UserAgentCore
{
    private long PublicationsNextDeadline => long.MaxValue;

    private void ProcessPublicationTimers()
    {
    }

    private bool OnPublicationResponse(Transaction transaction, SipMessage response) => false;

    private bool OnPublicationError(Transaction transaction, TransactionError failure) => false;
}
