// SPDX-License-Identifier: MIT
// Reads the attributes the header generator cares about, by type name, from metadata.

using System.Reflection.Metadata;

namespace Sipwire.HeaderGen;

/// <summary>Finds custom attributes by simple type name and decodes their arguments as strings.</summary>
internal static class AttributeReader
{
    /// <summary>The decoded attribute named <paramref name="typeName"/> in the set, or null.</summary>
    public static CustomAttributeValue<string>? Find(MetadataReader reader, CustomAttributeHandleCollection attributes, string typeName)
    {
        foreach (CustomAttributeHandle handle in attributes)
        {
            CustomAttribute attribute = reader.GetCustomAttribute(handle);
            if (NameOf(reader, attribute) == typeName)
            {
                return attribute.DecodeValue(s_provider);
            }
        }
        return null;
    }

    /// <summary>The first constructor argument of the attribute as a string, or null when absent.</summary>
    public static string? FirstString(MetadataReader reader, CustomAttributeHandleCollection attributes, string typeName) =>
        Find(reader, attributes, typeName) is { } value && value.FixedArguments.Length > 0 ? value.FixedArguments[0].Value as string : null;

    /// <summary>A named argument of the attribute as a string, or null.</summary>
    public static string? NamedString(CustomAttributeValue<string> value, string name)
    {
        foreach (CustomAttributeNamedArgument<string> argument in value.NamedArguments)
        {
            if (argument.Name == name)
            {
                return argument.Value as string;
            }
        }
        return null;
    }

    private static string NameOf(MetadataReader reader, CustomAttribute attribute)
    {
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MethodDefinition:
                MethodDefinition method = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor);
                return reader.GetString(reader.GetTypeDefinition(method.GetDeclaringType()).Name);
            case HandleKind.MemberReference:
                MemberReference member = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                return member.Parent.Kind switch
                {
                    HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)member.Parent).Name),
                    HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)member.Parent).Name),
                    _ => string.Empty,
                };
            default:
                return string.Empty;
        }
    }

    private static readonly ValueProvider s_provider = new();

    // Attribute arguments here are strings, enums and System.Type values; types decode to their names.
    private sealed class ValueProvider : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSystemType() => "System.Type";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeReference(handle).Name);
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(string type) => type == "System.Type";
    }
}
