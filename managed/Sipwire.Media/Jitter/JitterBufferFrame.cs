// Metadata of one frame delivered by JitterBuffer.Get.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Jitter;

/// <summary>The result of one playout period.</summary>
/// <param name="Status">What was produced.</param>
/// <param name="Length">Payload bytes copied (only for <see cref="JitterBufferStatus.Frame"/>).</param>
/// <param name="Timestamp">RTP timestamp of the frame (or of the concealed slot).</param>
/// <param name="SequenceNumber">RTP sequence number of the frame (Frame only).</param>
/// <param name="Marker">RTP marker bit of the frame (Frame only).</param>
public readonly record struct JitterBufferFrame(JitterBufferStatus Status, int Length, uint Timestamp, ushort SequenceNumber, bool Marker);
