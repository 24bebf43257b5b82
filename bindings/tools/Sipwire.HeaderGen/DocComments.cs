// SPDX-License-Identifier: MIT
// Reads the C# XML documentation file and turns members' docs into Doxygen comment blocks.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;

namespace Sipwire.HeaderGen;

/// <summary>
/// The docs of each member, keyed by XML doc id. Tags used on the C ABI: summary (@brief), param,
/// returns (@return), and two of our own: ownership and thread (@par Ownership, @par Thread).
/// </summary>
internal sealed class DocComments
{
    private const int Width = 100;
    private readonly Dictionary<string, XElement> _members = new(StringComparer.Ordinal);

    public DocComments(string xmlPath)
    {
        if (!File.Exists(xmlPath))
        {
            throw new FileNotFoundException($"documentation file {xmlPath} is missing (GenerateDocumentationFile must be on)");
        }
        foreach (XElement member in XDocument.Load(xmlPath).Descendants("member"))
        {
            _members[(string)member.Attribute("name")!] = member;
        }
    }

    /// <summary>Docs of a type ("T:"), field ("F:") or parameterless id; methods match by name before "(".</summary>
    public XElement? Find(string id)
    {
        if (_members.TryGetValue(id, out XElement? exact))
        {
            return exact;
        }
        string prefix = id + "(";
        return _members.FirstOrDefault(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)).Value;
    }

    /// <summary>A one-line summary as a trailing or leading comment body.</summary>
    public static string Summary(XElement? member) => Flatten(member?.Element("summary"));

    /// <summary>A full Doxygen block for a function, indented by nothing.</summary>
    public static string FunctionBlock(XElement? member, IReadOnlyList<string> parameterNames, string cName)
    {
        string summary = Summary(member);
        if (summary.Length == 0)
        {
            throw new FormatException($"{cName} has no <summary>: every export is documented");
        }
        var lines = new List<string>();
        lines.AddRange(Wrap("@brief " + summary));
        foreach (string name in parameterNames)
        {
            XElement? param = member?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name);
            string text = Flatten(param);
            if (text.Length == 0)
            {
                throw new FormatException($"{cName}: parameter {name} has no <param> doc");
            }
            lines.AddRange(Wrap($"@param {name} {text}"));
        }
        string returns = Flatten(member?.Element("returns"));
        if (returns.Length > 0)
        {
            lines.AddRange(Wrap("@return " + returns));
        }
        AddParagraph(lines, "Ownership", Flatten(member?.Element("ownership")));
        AddParagraph(lines, "Thread", Flatten(member?.Element("thread")));
        return Block(lines, string.Empty);
    }

    /// <summary>A Doxygen block with just a brief, at the given indentation.</summary>
    public static string BriefBlock(string summary, string indent)
    {
        if (summary.Length == 0)
        {
            return string.Empty;
        }
        List<string> lines = Wrap("@brief " + summary, indent.Length + 3).ToList();
        return lines.Count == 1 ? $"{indent}/** {lines[0]} */\n" : Block(lines, indent);
    }

    private static void AddParagraph(List<string> lines, string title, string text)
    {
        if (text.Length > 0)
        {
            lines.Add("@par " + title);
            lines.AddRange(Wrap(text));
        }
    }

    private static string Block(List<string> lines, string indent)
    {
        var sb = new StringBuilder();
        sb.Append(indent).Append("/**\n");
        foreach (string line in lines)
        {
            sb.Append(indent).Append(" * ").Append(line).Append('\n');
        }
        sb.Append(indent).Append(" */\n");
        return sb.ToString();
    }

    private static IEnumerable<string> Wrap(string text, int indent = 0)
    {
        int width = Width - indent - 3;
        var line = new StringBuilder();
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0)
            {
                line.Append(' ');
            }
            line.Append(word);
        }
        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    // Inline tags become plain text: <c>x</c> -> x, <see cref="T:A.B"/> -> B, <paramref name="p"/> -> p.
    private static string Flatten(XElement? element)
    {
        if (element is null)
        {
            return string.Empty;
        }
        var sb = new StringBuilder();
        foreach (XNode node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    sb.Append(text.Value);
                    break;
                case XElement inner when inner.Name == "see" && inner.Attribute("cref") is { } cref:
                    string target = cref.Value;
                    sb.Append(target[(target.LastIndexOf('.') + 1)..]);
                    break;
                case XElement inner when inner.Name == "paramref" || inner.Name == "typeparamref":
                    sb.Append((string?)inner.Attribute("name"));
                    break;
                case XElement inner:
                    sb.Append(Flatten(inner));
                    break;
            }
        }
        return string.Join(' ', sb.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
