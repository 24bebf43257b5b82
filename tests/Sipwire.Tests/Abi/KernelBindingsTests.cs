// SPDX-License-Identifier: MIT
// The generated C# bindings of native/ are current and call the C kernels correctly.

using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sipwire.Kernels.Native;

namespace Sipwire.Tests.Abi;

[TestFixture]
public sealed unsafe class KernelBindingsTests
{
    private static string BindingsDirectory => Path.Combine(RepositoryPaths.Root, "bindings", "csharp", "Sipwire.Kernels.Native");

    [Test]
    public void CheckedInBindingsAreCurrent()
    {
        Dictionary<string, string> generated = Sipwire.BindGen.Program.GenerateAll(Path.Combine(RepositoryPaths.Root, "native", "include"));
        string[] headers = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "native", "include", "sipwire"), "*.h");
        Assert.That(generated, Has.Count.EqualTo(headers.Length));
        foreach ((string name, string text) in generated)
        {
            string path = Path.Combine(BindingsDirectory, name);
            Assert.That(File.Exists(path), Is.True, $"{name} is missing: run `build.ps1 generate`");
            Assert.That(File.ReadAllText(path), Is.EqualTo(text), $"{name} is stale: run `build.ps1 generate`");
        }
        string[] extra = Directory.GetFiles(BindingsDirectory, "*.g.cs").Select(Path.GetFileName).Where(n => !generated.ContainsKey(n!)).ToArray()!;
        Assert.That(extra, Is.Empty, "bindings without a header");
    }

    [Test]
    public void BindingsCallTheCKernels()
    {
        Assert.That(KernelLibrary.ConfiguredPath, Is.Not.Null,
            "SIPWIRE_NATIVE_LIB_DIR must name the native/ build folder (build.ps1 native sets it)");
        // ITU-T G.191 values (see tests/vectors/g711): enc(0)=0xFF, enc(1000)=0xCE, dec(0x00)=-32124.
        Assert.That(G711Native.sw_g711_ulaw_encode_sample(0), Is.EqualTo(0xFF));
        Assert.That(G711Native.sw_g711_ulaw_encode_sample(1000), Is.EqualTo(0xCE));
        Assert.That(G711Native.sw_g711_ulaw_decode_sample(0x00), Is.EqualTo(-32124));

        short[] pcm = [0, -1, 1000, -1000, 32767, -32768];
        byte[] codes = new byte[pcm.Length];
        fixed (short* input = pcm)
        fixed (byte* output = codes)
        {
            Assert.That(G711Native.sw_g711_ulaw_encode(input, output, pcm.Length), Is.Zero);
        }
        Assert.That(codes, Is.EqualTo(new byte[] { 0xFF, 0x7F, 0xCE, 0x4E, 0x80, 0x00 }));
    }

    [Test]
    public void StructLayoutsMatchTheCCompiler()
    {
        // Size = clang's sizeof in the generated [StructLayout]; initializing through the binding
        // must leave the state usable, which fails if fields moved.
        sw_g722_encoder encoder;
        Assert.That(G722Native.sw_g722_encoder_init(&encoder), Is.Zero);
        short[] silence = new short[160];
        byte[] octets = new byte[80];
        fixed (short* input = silence)
        fixed (byte* output = octets)
        {
            Assert.That(G722Native.sw_g722_encode(&encoder, input, output, silence.Length), Is.Zero);
        }
        Assert.That(G722Native.sw_g722_encoder_init(null), Is.Not.Zero);
    }
}
