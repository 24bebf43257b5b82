// SPDX-License-Identifier: MIT
// Decodes metadata signatures into C type names for the header.

using System;
using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Sipwire.HeaderGen;

/// <summary>
/// Maps C# types of the export surface to C: fixed-width integers, pointers, and types that carry a
/// CName. Everything else (bool, char, string, classes, arrays, generics) is refused, because it has
/// no stable C ABI (STYLE.md, "Names").
/// </summary>
internal sealed class CTypeProvider(MetadataReader reader, Func<TypeDefinitionHandle, string?> cNameOf)
    : ISignatureTypeProvider<string, object?>
{
    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Void => "void",
        PrimitiveTypeCode.SByte => "int8_t",
        PrimitiveTypeCode.Byte => "uint8_t",
        PrimitiveTypeCode.Int16 => "int16_t",
        PrimitiveTypeCode.UInt16 => "uint16_t",
        PrimitiveTypeCode.Int32 => "int32_t",
        PrimitiveTypeCode.UInt32 => "uint32_t",
        PrimitiveTypeCode.Int64 => "int64_t",
        PrimitiveTypeCode.UInt64 => "uint64_t",
        PrimitiveTypeCode.IntPtr => "intptr_t",
        PrimitiveTypeCode.UIntPtr => "uintptr_t",
        PrimitiveTypeCode.Single => "float",
        PrimitiveTypeCode.Double => "double",
        _ => throw new NotSupportedException($"{typeCode} cannot cross the C ABI; use a fixed-width integer"),
    };

    public string GetPointerType(string elementType) => elementType.EndsWith('*') ? elementType + "*" : elementType + " *";

    public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) =>
        cNameOf(handle) ?? throw new NotSupportedException(
            $"type {metadata.GetString(metadata.GetTypeDefinition(handle).Name)} crosses the C ABI without a [CName]");

    public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) =>
        throw new NotSupportedException($"type {metadata.GetString(metadata.GetTypeReference(handle).Name)} from another assembly cannot cross the C ABI");

    // A function pointer has no C spelling of its own here: the parameter or field must name its
    // callback typedef with [CType]; the writer refuses this placeholder if none does.
    public string GetFunctionPointerType(MethodSignature<string> signature) => FunctionPointerPlaceholder;

    /// <summary>Stands for a function pointer type until a [CType] names its typedef.</summary>
    public const string FunctionPointerPlaceholder = "<function pointer>";

    public string GetSZArrayType(string elementType) => throw Refuse("arrays");
    public string GetArrayType(string elementType, ArrayShape shape) => throw Refuse("arrays");
    public string GetByReferenceType(string elementType) => throw Refuse("ref parameters");
    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => throw Refuse("generics");
    public string GetGenericMethodParameter(object? genericContext, int index) => throw Refuse("generics");
    public string GetGenericTypeParameter(object? genericContext, int index) => throw Refuse("generics");
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    public string GetPinnedType(string elementType) => throw Refuse("pinned types");
    public string GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        throw Refuse("type specifications");

    private static NotSupportedException Refuse(string what) => new($"{what} cannot cross the C ABI");

    internal MetadataReader Reader => reader;
}
