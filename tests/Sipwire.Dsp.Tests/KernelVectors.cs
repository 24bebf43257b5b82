// Locates tests/vectors (the shared test data) and reads its little-endian PCM files.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.CompilerServices;

namespace Sipwire.Dsp.Tests;

/// <summary>
/// The vectors directory is $SIPWIRE_VECTORS_DIR when set, else tests/vectors next to this source
/// file (the repository this assembly was compiled from).
/// </summary>
internal static class KernelVectors
{
    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(SourceDirectory(), "..", ".."));

    // Initialised after RepositoryRoot, which Locate() uses.
    public static string Directory { get; } = Locate();

    public static byte[] ReadBytes(string relative) => File.ReadAllBytes(Path.Combine(Directory, relative));

    /// <summary>Reads a raw little-endian int16 file (s16le), independent of the host's byte order.</summary>
    public static short[] ReadS16Le(string relative)
    {
        byte[] bytes = ReadBytes(relative);
        if (bytes.Length % 2 != 0)
        {
            throw new InvalidDataException($"{relative}: odd length {bytes.Length} for 16-bit PCM.");
        }

        var samples = new short[bytes.Length / 2];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i));
        }

        return samples;
    }

    private static string Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("SIPWIRE_VECTORS_DIR");
        string directory = string.IsNullOrEmpty(fromEnvironment)
            ? Path.Combine(RepositoryRoot, "tests", "vectors")
            : fromEnvironment;
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Test vectors not found at {directory}; set SIPWIRE_VECTORS_DIR to the repository's tests/vectors.");
        }

        return directory;
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
