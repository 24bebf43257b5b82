// SPDX-License-Identifier: MIT
// The C signature of sw_post_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>Work handed over with sw_endpoint_post(); runs inside sw_endpoint_poll() on the endpoint's thread and may call any API.</summary>
/// <param name="user_data">The user_data given to sw_endpoint_post().</param>
[CName("sw_post_cb")]
internal unsafe delegate void PostCallback(void* user_data);
