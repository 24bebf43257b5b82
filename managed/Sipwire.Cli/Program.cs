// SPDX-License-Identifier: MIT
// Entry point of the `sipwire` command-line tool: dispatches to one command per verb.

using System;

namespace Sipwire.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: sipwire <command> [options]");
            return 2;
        }
        if (args[0] == "options") return OptionsCommand.Run(args.AsSpan(1), Console.Out, Console.Error);
        if (args[0] == "parse") return ParseCommand.Run(args.AsSpan(1), Console.Out, Console.Error);
        if (args[0] == "aec") return AecCommand.Run(args.AsSpan(1), Console.Out, Console.Error);
        if (args[0] == "registrar") return ServerCommand.Run("registrar", args.AsSpan(1), Console.Out, Console.Error);
        if (args[0] == "proxy") return ServerCommand.Run("proxy", args.AsSpan(1), Console.Out, Console.Error);
        if (args[0] == "redirect") return ServerCommand.Run("redirect", args.AsSpan(1), Console.Out, Console.Error);
        if (args[0] == "b2bua") return ServerCommand.Run("b2bua", args.AsSpan(1), Console.Out, Console.Error);
        if (args[0] == "ua") return UaCommand.Run(args.AsSpan(1), Console.Out, Console.Error);
        if (args[0] == "presence") return PresenceCommand.Run(args.AsSpan(1), Console.Out, Console.Error);
        Console.Error.WriteLine($"sipwire: unknown command '{args[0]}'");
        return 2;
    }
}
