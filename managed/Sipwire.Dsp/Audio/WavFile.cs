// Minimal RIFF/WAVE reader and writer for mono 16-bit PCM (the AEC tools' file format).
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.IO;

namespace Sipwire.Dsp.Audio;

/// <summary>
/// Reads and writes RIFF/WAVE files holding mono 16-bit linear PCM (WAVE_FORMAT_PCM, or
/// WAVE_FORMAT_EXTENSIBLE with the PCM sub-format). Anything else is rejected with a
/// <see cref="InvalidDataException"/> that says what is wrong.
/// </summary>
public static class WavFile
{
    /// <summary>Reads a mono PCM16 WAV file.</summary>
    /// <param name="path">File to read.</param>
    /// <param name="sampleRate">Receives the sample rate in Hz.</param>
    /// <returns>The samples.</returns>
    /// <exception cref="InvalidDataException">Not a RIFF/WAVE file, or not mono 16-bit PCM.</exception>
    public static short[] Read(string path, out int sampleRate)
    {
        byte[] data = File.ReadAllBytes(path);
        return Parse(data, out sampleRate);
    }

    /// <summary>Parses a mono PCM16 WAV image.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="sampleRate">Receives the sample rate in Hz.</param>
    /// <returns>The samples.</returns>
    /// <exception cref="InvalidDataException">Not a RIFF/WAVE file, or not mono 16-bit PCM.</exception>
    public static short[] Parse(ReadOnlySpan<byte> data, out int sampleRate)
    {
        if (data.Length < 12 || !data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a RIFF/WAVE file");
        }
        int pos = 12;
        bool haveFormat = false;
        sampleRate = 0;
        while (pos + 8 <= data.Length)
        {
            ReadOnlySpan<byte> id = data.Slice(pos, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(pos + 4, 4));
            int body = pos + 8;
            if (size > (uint)(data.Length - body))
            {
                // A truncated final data chunk is common (streams written without a final size);
                // take what is there, but only for the data chunk.
                if (!id.SequenceEqual("data"u8))
                {
                    throw new InvalidDataException($"chunk '{System.Text.Encoding.ASCII.GetString(id)}' runs past the end of the file");
                }
                size = (uint)(data.Length - body);
            }
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16)
                {
                    throw new InvalidDataException("fmt chunk is shorter than 16 bytes");
                }
                ushort format = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(body, 2));
                ushort channels = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(body + 2, 2));
                sampleRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(body + 4, 4));
                ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(body + 14, 2));
                if (format == 0xFFFE && size >= 40)
                {
                    // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the format tag.
                    format = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(body + 24, 2));
                }
                if (format != 1)
                {
                    throw new InvalidDataException($"audio format {format} is not PCM (1)");
                }
                if (channels != 1)
                {
                    throw new InvalidDataException($"{channels} channels; only mono is supported");
                }
                if (bits != 16)
                {
                    throw new InvalidDataException($"{bits}-bit samples; only 16-bit PCM is supported");
                }
                if (sampleRate <= 0)
                {
                    throw new InvalidDataException("sample rate is 0");
                }
                haveFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    throw new InvalidDataException("data chunk before the fmt chunk");
                }
                int count = (int)(size / 2);
                var samples = new short[count];
                for (int i = 0; i < count; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data.Slice(body + (2 * i), 2));
                }
                return samples;
            }
            // Chunks are padded to an even size (RIFF).
            pos = body + (int)size + (int)(size & 1);
        }
        throw new InvalidDataException(haveFormat ? "no data chunk" : "no fmt chunk");
    }

    /// <summary>Writes a mono PCM16 WAV file.</summary>
    /// <param name="path">File to create or replace.</param>
    /// <param name="samples">The samples.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    public static void Write(string path, ReadOnlySpan<short> samples, int sampleRate)
    {
        byte[] image = new byte[44 + (2 * samples.Length)];
        "RIFF"u8.CopyTo(image);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(4), (uint)(36 + (2 * samples.Length)));
        "WAVE"u8.CopyTo(image.AsSpan(8));
        "fmt "u8.CopyTo(image.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(22), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(24), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(28), (uint)(sampleRate * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(34), 16);
        "data"u8.CopyTo(image.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(40), (uint)(2 * samples.Length));
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(image.AsSpan(44 + (2 * i)), samples[i]);
        }
        File.WriteAllBytes(path, image);
    }
}
