// Tells the application what S/MIME protection an incoming request or response carried (RFC 3261 §23.2).
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>Raised by <see cref="UserAgentCore.BodyUnprotected"/> for each incoming message whose body was
/// S/MIME protected, before the feature (MESSAGE, call) sees the unwrapped body. Correlate with
/// <see cref="CallId"/> and <see cref="CSeq"/>.</summary>
/// <param name="Method">The request method, or the method of the request a response answers.</param>
/// <param name="StatusCode">0 for a request, the status code of a response.</param>
/// <param name="CallId">Call-ID of the message.</param>
/// <param name="CSeq">CSeq number of the message.</param>
/// <param name="FarEnd">The AoR the signer had to match: From of a request, To of a response.</param>
/// <param name="Result">What the protector found: verdict, signer, encryption, or why the body was refused.</param>
public sealed record BodyProtectionEvent(string Method, int StatusCode, string CallId, uint CSeq, string FarEnd, BodyUnprotectResult Result);
