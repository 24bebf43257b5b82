// A call's digest state: the challenges of each realm, answered on every later request of the call (RFC 3261 §22.3).
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

public sealed partial class SipCall
{
    internal ClientAuthenticator? _auth;    // created at the first challenge when credentials are configured
}
