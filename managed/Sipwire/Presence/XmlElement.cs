// One element of a parsed XML document: expanded name, attributes, child elements and text.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;

namespace Sipwire.Presence;

/// <summary>
/// An element as <see cref="XmlLiteParser"/> builds it: namespaces resolved (Namespaces in XML
/// 1.0 §6), entity and character references decoded, comments and processing instructions dropped.
/// </summary>
public sealed class XmlElement
{
    internal XmlElement(string ns, string localName)
    {
        Namespace = ns;
        LocalName = localName;
    }

    /// <summary>The namespace name ("" when none).</summary>
    public string Namespace { get; }

    /// <summary>The local name.</summary>
    public string LocalName { get; }

    /// <summary>Attributes as (namespace, local name, value); xmlns declarations are not listed.</summary>
    public List<(string Namespace, string LocalName, string Value)> Attributes { get; } = [];

    /// <summary>Child elements in document order.</summary>
    public List<XmlElement> Children { get; } = [];

    /// <summary>The character data directly inside this element, concatenated.</summary>
    public string Text { get; internal set; } = "";

    /// <summary>The value of an attribute, or null.</summary>
    public string? Attribute(string localName, string ns = "")
    {
        foreach ((string n, string l, string v) in Attributes)
        {
            if (l == localName && n == ns) return v;
        }
        return null;
    }

    /// <summary>Child elements with this expanded name.</summary>
    public IEnumerable<XmlElement> Elements(string ns, string localName)
    {
        foreach (XmlElement c in Children)
        {
            if (c.LocalName == localName && c.Namespace == ns) yield return c;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Namespace.Length == 0 ? LocalName : "{" + Namespace + "}" + LocalName;
}
