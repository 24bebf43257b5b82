// SPDX-License-Identifier: MIT
// C ABI exports for page-mode instant messages (RFC 3428 MESSAGE).

using System;
using System.Runtime.InteropServices;

namespace Sipwire.Native;

internal static unsafe class MessageExports
{
    /// <summary>
    /// Sends a MESSAGE (RFC 3428) from an account to the outbound proxy, else the target's IP host, else
    /// the registrar; answers digest challenges with the account's credentials. The outcome arrives at
    /// on_message_result with the id stored in out_message_id.
    /// </summary>
    /// <param name="account">The sending account.</param>
    /// <param name="target">The recipient's SIP URI.</param>
    /// <param name="content_type">The body's media type, e.g. "text/plain;charset=UTF-8".</param>
    /// <param name="body">The body bytes.</param>
    /// <param name="body_length">Number of bytes; over UDP at most what fits the 1300-byte message limit (RFC 3428 §9).</param>
    /// <param name="out_message_id">Receives the message id; may be NULL.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale account, a NULL or malformed target or content type,
    /// NULL body with a positive length, or a body too large; SW_E_LIMIT when the transaction table is full.</returns>
    /// <ownership>The body and strings are copied.</ownership>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_message_send")]
    public static Status Send(AccountHandle* account, [CType("const char *")] byte* target, [CType("const char *")] byte* content_type,
        [CType("const uint8_t *")] byte* body, int body_length, int* out_message_id)
    {
        try
        {
            NativeAccount? from = EndpointHost.AccountHandles.Get((nint)account);
            if (from is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "account is NULL or stale");
            }
            from.Host.Enter();
            string uri = AbiStrings.Read(target, "target") ?? throw new ArgumentException("target is NULL");
            string type = AbiStrings.Read(content_type, "content_type") ?? throw new ArgumentException("content_type is NULL");
            if (body_length < 0 || (body == null && body_length > 0))
            {
                throw new ArgumentException("body must not be NULL when body_length is positive, and body_length not negative");
            }
            int id = from.Host.SendMessage(from, uri, type, new ReadOnlySpan<byte>(body, body_length));
            if (out_message_id != null)
            {
                *out_message_id = id;
            }
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }
}
