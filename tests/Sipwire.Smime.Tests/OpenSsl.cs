// Runs the openssl CLI (Debian package openssl) in a private temp directory for the interop tests.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography.X509Certificates;

namespace Sipwire.Smime.Tests;

/// <summary>A scratch directory with PEM files and a way to run `openssl` in it.</summary>
internal sealed class OpenSsl : IDisposable
{
    private const int TimeoutMs = 30_000;

    public OpenSsl()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sipwire-smime-").FullName;
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Writes the certificate (and key when <paramref name="withKey"/>) as PEM; returns the certificate file.</summary>
    public string WritePem(string name, X509Certificate2 certificate, bool withKey = false)
    {
        File.WriteAllText(PathOf(name + ".pem"), certificate.ExportCertificatePem());
        if (withKey)
        {
            using System.Security.Cryptography.AsymmetricAlgorithm key = (System.Security.Cryptography.AsymmetricAlgorithm?)certificate.GetRSAPrivateKey()
                ?? certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("no RSA or ECDSA key");
            File.WriteAllText(PathOf(name + ".key"), key.ExportPkcs8PrivateKeyPem());
        }
        return PathOf(name + ".pem");
    }

    /// <summary>Runs openssl with <paramref name="args"/>; returns (exit code, stdout + stderr).</summary>
    public (int Code, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeoutMs))
        {
            process.Kill();
            throw new TimeoutException("openssl " + string.Join(' ', args) + " did not finish");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Leave it for the OS to clean /tmp.
        }
    }
}
