// SPDX-License-Identifier: MIT
// Writes sipwire.h from the metadata of Sipwire.Native: versions, status constants, types, exports.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Sipwire.HeaderGen;

/// <summary>
/// The C header is generated, never written by hand (DESIGN.md principle 5). Sources: methods with
/// [UnmanagedCallersOnly(EntryPoint = "...")] are the functions; enums and structs with [CName] are
/// the types; [CType] spells const pointers and strings; XML docs become Doxygen comments.
/// </summary>
internal static class HeaderWriter
{
    /// <summary>Generates the header text for the assembly at <paramref name="assemblyPath"/>.</summary>
    public static string Generate(string assemblyPath)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        var docs = new DocComments(Path.ChangeExtension(assemblyPath, ".xml"));

        var cNames = new Dictionary<TypeDefinitionHandle, string>();
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            if (AttributeReader.FirstString(reader, reader.GetTypeDefinition(handle).GetCustomAttributes(), "CNameAttribute") is { } name)
            {
                cNames[handle] = name;
            }
        }
        var types = new CTypeProvider(reader, h => cNames.TryGetValue(h, out string? n) ? n : null);

        var enums = new StringBuilder();
        var opaque = new StringBuilder();
        var callbacks = new StringBuilder();
        var structs = new StringBuilder();
        var forward = new StringBuilder();
        foreach ((TypeDefinitionHandle handle, string cName) in cNames.OrderBy(p => p.Value, StringComparer.Ordinal))
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            string docId = "T:" + FullName(reader, type);
            string summary = DocComments.Summary(docs.Find(docId));
            if (IsEnum(reader, type))
            {
                WriteEnum(reader, type, cName, summary, docs, docId, enums);
            }
            else if (IsDelegate(reader, type))
            {
                WriteCallback(reader, type, cName, docs, docId, types, callbacks);
            }
            else if (InstanceFields(reader, type).Any())
            {
                WriteStruct(reader, type, cName, summary, docs, docId, types, structs, forward);
            }
            else
            {
                opaque.Append(DocComments.BriefBlock(summary, string.Empty));
                opaque.Append($"typedef struct {cName} {cName};\n\n");
            }
        }

        var functions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(typeHandle);
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                if (AttributeReader.Find(reader, method.GetCustomAttributes(), "UnmanagedCallersOnlyAttribute") is not { } uco
                    || AttributeReader.NamedString(uco, "EntryPoint") is not { } entryPoint)
                {
                    continue;
                }
                functions.Add(entryPoint, WriteFunction(reader, type, method, entryPoint, docs, types));
            }
        }

        Version version = reader.GetAssemblyDefinition().Version;
        var sb = new StringBuilder();
        sb.Append("""
            /* SPDX-License-Identifier: MIT */
            /**
             * @file sipwire.h
             * @brief The Sipwire C ABI: SIP signaling and voice media for embedded devices.
             *
             * GENERATED from managed/Sipwire.Native by bindings/tools/Sipwire.HeaderGen: do not edit.
             * Regenerate with `build.ps1 generate`; `build.ps1 verify` fails when this file is stale.
             *
             * Conventions: every function returns sw_status (SW_OK = 0, errors negative) unless stated;
             * outputs go through out_* pointers; strings are NUL-terminated UTF-8; text outputs go to a
             * caller buffer and give SW_E_BUFFER_TOO_SMALL with the size needed; what the SDK creates,
             * the SDK destroys (sw_*_destroy).
             */
            #ifndef SIPWIRE_H
            #define SIPWIRE_H

            #include <stdint.h>

            #ifdef __cplusplus
            extern "C" {
            #endif

            #ifndef SW_API
            #define SW_API
            #endif


            """.Replace("\r", string.Empty));
        sb.Append($"#define SW_VERSION_MAJOR {version.Major}\n");
        sb.Append($"#define SW_VERSION_MINOR {version.Minor}\n");
        sb.Append($"#define SW_VERSION_PATCH {version.Build}\n");
        sb.Append("/** @brief The version this header describes; compare with sw_version() at run time. */\n");
        sb.Append("#define SW_VERSION_NUMBER ((SW_VERSION_MAJOR << 16) | (SW_VERSION_MINOR << 8) | SW_VERSION_PATCH)\n\n");
        sb.Append(enums).Append(opaque);
        if (forward.Length > 0)
        {
            sb.Append("/* Configuration and callback tables, defined below. */\n").Append(forward).Append('\n');
        }
        sb.Append(callbacks).Append(structs);
        foreach (string function in functions.Values)
        {
            sb.Append(function);
        }
        sb.Append("""
            #ifdef __cplusplus
            }
            #endif

            #endif /* SIPWIRE_H */

            """.Replace("\r", string.Empty));
        return sb.ToString();
    }

    private static void WriteEnum(MetadataReader reader, TypeDefinition type, string cName, string summary,
        DocComments docs, string docId, StringBuilder sb)
    {
        // STYLE.md: enums cross the ABI as int32_t with named constants, never as C enum types.
        sb.Append(DocComments.BriefBlock(summary, string.Empty));
        sb.Append($"typedef int32_t {cName};\n");
        string fieldPrefix = "F:" + docId[2..] + ".";
        foreach (FieldDefinitionHandle handle in type.GetFields())
        {
            FieldDefinition field = reader.GetFieldDefinition(handle);
            if ((field.Attributes & System.Reflection.FieldAttributes.Static) == 0)
            {
                continue;
            }
            string name = reader.GetString(field.Name);
            string constant = AttributeReader.FirstString(reader, field.GetCustomAttributes(), "CNameAttribute")
                ?? throw new FormatException($"{cName}: member {name} has no [CName]");
            int value = reader.GetBlobReader(reader.GetConstant(field.GetDefaultValue()).Value).ReadInt32();
            string text = DocComments.Summary(docs.Find(fieldPrefix + name));
            sb.Append(DocComments.BriefBlock(text, string.Empty));
            sb.Append($"#define {constant} {(value < 0 ? $"({value})" : value.ToString(System.Globalization.CultureInfo.InvariantCulture))}\n");
        }
        sb.Append('\n');
    }

    private static void WriteStruct(MetadataReader reader, TypeDefinition type, string cName, string summary,
        DocComments docs, string docId, CTypeProvider types, StringBuilder sb, StringBuilder forward)
    {
        sb.Append(DocComments.BriefBlock(summary, string.Empty));
        // Forward-declared with the opaque types, so a struct may point to one defined later.
        forward.Append($"typedef struct {cName} {cName};\n");
        sb.Append($"struct {cName} {{\n");
        string fieldPrefix = "F:" + docId[2..] + ".";
        foreach (FieldDefinition field in InstanceFields(reader, type))
        {
            string name = reader.GetString(field.Name);
            string cType = AttributeReader.FirstString(reader, field.GetCustomAttributes(), "CTypeAttribute")
                ?? field.DecodeSignature(types, null);
            if (cType == CTypeProvider.FunctionPointerPlaceholder)
            {
                throw new NotSupportedException($"{cName}.{name}: function pointers need [CType(\"<callback typedef>\")]");
            }
            sb.Append(DocComments.BriefBlock(DocComments.Summary(docs.Find(fieldPrefix + name)), "    "));
            sb.Append("    ").Append(Declare(cType, name)).Append(";\n");
        }
        sb.Append("};\n\n");
    }

    // A delegate type with [CName] is a callback typedef: its Invoke signature, its docs as Doxygen.
    private static void WriteCallback(MetadataReader reader, TypeDefinition type, string cName,
        DocComments docs, string docId, CTypeProvider types, StringBuilder sb)
    {
        MethodDefinition invoke = type.GetMethods().Select(reader.GetMethodDefinition)
            .First(m => reader.GetString(m.Name) == "Invoke");
        (string returnType, string[] names, string[] cTypes) = Parameters(reader, invoke, types);
        sb.Append(DocComments.FunctionBlock(docs.Find(docId), names, cName));
        string parameters = names.Length == 0 ? "void" : string.Join(", ", names.Select((n, i) => Declare(cTypes[i], n)));
        sb.Append($"typedef {Declare(returnType, "(*" + cName + ")")}({parameters});\n\n");
    }

    private static (string ReturnType, string[] Names, string[] CTypes) Parameters(MetadataReader reader, MethodDefinition method, CTypeProvider types)
    {
        MethodSignature<string> signature = method.DecodeSignature(types, null);
        string returnType = signature.ReturnType;
        var names = new string[signature.ParameterTypes.Length];
        var cTypes = signature.ParameterTypes.ToArray();
        foreach (ParameterHandle handle in method.GetParameters())
        {
            Parameter parameter = reader.GetParameter(handle);
            string? overrideType = AttributeReader.FirstString(reader, parameter.GetCustomAttributes(), "CTypeAttribute");
            if (parameter.SequenceNumber == 0)
            {
                returnType = overrideType ?? returnType;
                continue;
            }
            names[parameter.SequenceNumber - 1] = reader.GetString(parameter.Name);
            cTypes[parameter.SequenceNumber - 1] = overrideType ?? cTypes[parameter.SequenceNumber - 1];
        }
        if (returnType == CTypeProvider.FunctionPointerPlaceholder || cTypes.Contains(CTypeProvider.FunctionPointerPlaceholder))
        {
            throw new NotSupportedException($"{reader.GetString(method.Name)}: function pointers need [CType(\"<callback typedef>\")]; declare the callback type first");
        }
        return (returnType, names, cTypes);
    }

    private static string WriteFunction(MetadataReader reader, TypeDefinition type, MethodDefinition method,
        string entryPoint, DocComments docs, CTypeProvider types)
    {
        (string returnType, string[] names, string[] cTypes) = Parameters(reader, method, types);
        string docId = $"M:{FullName(reader, type)}.{reader.GetString(method.Name)}";
        var sb = new StringBuilder();
        sb.Append(DocComments.FunctionBlock(docs.Find(docId), names, entryPoint));
        string parameters = names.Length == 0 ? "void" : string.Join(", ", names.Select((n, i) => Declare(cTypes[i], n)));
        sb.Append($"SW_API {Declare(returnType, entryPoint)}({parameters});\n\n");
        return sb.ToString();
    }

    // "char *" + "p" -> "char *p"; "int32_t" + "n" -> "int32_t n".
    private static string Declare(string cType, string name) => cType.EndsWith('*') ? cType + name : cType + " " + name;

    private static IEnumerable<FieldDefinition> InstanceFields(MetadataReader reader, TypeDefinition type) =>
        type.GetFields().Select(reader.GetFieldDefinition)
            .Where(f => (f.Attributes & System.Reflection.FieldAttributes.Static) == 0);

    private static bool IsDelegate(MetadataReader reader, TypeDefinition type) =>
        type.BaseType.Kind == HandleKind.TypeReference
        && reader.GetString(reader.GetTypeReference((TypeReferenceHandle)type.BaseType).Name) == "MulticastDelegate";

    private static bool IsEnum(MetadataReader reader, TypeDefinition type) =>
        type.BaseType.Kind == HandleKind.TypeReference
        && reader.GetString(reader.GetTypeReference((TypeReferenceHandle)type.BaseType).Name) == "Enum";

    private static string FullName(MetadataReader reader, TypeDefinition type) =>
        reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
}
