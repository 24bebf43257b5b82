// SPDX-License-Identifier: MIT
// Writes C# bindings (LibraryImport functions, blittable structs, constants) for one C header.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace Sipwire.BindGen;

/// <summary>
/// Parses one header of native/include/sipwire with libclang and writes its bindings: every function
/// as a [LibraryImport] partial method with the C name, every struct as a blittable struct with the C
/// layout (fixed buffers, inline arrays), every enum constant as a const. The C header is the single
/// source of truth; the generated file is checked in and verified.
/// </summary>
internal static unsafe class BindingWriter
{
    public const string Namespace = "Sipwire.Kernels.Native";

    /// <summary>The C# class holding the functions of <paramref name="headerPath"/>: g711.h -> G711Native.</summary>
    public static string ClassName(string headerPath)
    {
        string stem = Path.GetFileNameWithoutExtension(headerPath);
        var sb = new StringBuilder();
        bool upper = true;
        foreach (char c in stem)
        {
            if (c == '_' || c == '-')
            {
                upper = true;
                continue;
            }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return sb.Append("Native").ToString();
    }

    /// <summary>Generates the binding file text for one header.</summary>
    /// <exception cref="FormatException">The header does not compile or uses a construct that has no binding.</exception>
    public static string Generate(string headerPath, string includeDirectory, string relativeName)
    {
        nint index = LibClang.clang_createIndex(0, 0);
        try
        {
            nint unit = Parse(index, headerPath, includeDirectory);
            try
            {
                var output = new Output(ClassName(headerPath));
                foreach (CXCursor cursor in Children(LibClang.clang_getTranslationUnitCursor(unit)))
                {
                    if (LibClang.clang_Location_isFromMainFile(LibClang.clang_getCursorLocation(cursor)) != 0)
                    {
                        output.Add(cursor);
                    }
                }
                return output.Render(relativeName);
            }
            finally
            {
                LibClang.clang_disposeTranslationUnit(unit);
            }
        }
        finally
        {
            LibClang.clang_disposeIndex(index);
        }
    }

    private static nint Parse(nint index, string headerPath, string includeDirectory)
    {
        string[] arguments = ["-x", "c", "-std=c99", "-I", includeDirectory];
        nint[] native = arguments.Select(a => Marshal.StringToCoTaskMemUTF8(a)).ToArray();
        nint file = Marshal.StringToCoTaskMemUTF8(headerPath);
        try
        {
            nint unit;
            fixed (nint* argv = native)
            {
                unit = LibClang.clang_parseTranslationUnit(index, (byte*)file, (byte**)argv, native.Length, 0, 0, 0);
            }
            if (unit == 0)
            {
                throw new FormatException($"libclang could not parse {headerPath}");
            }
            var errors = new List<string>();
            for (uint i = 0; i < LibClang.clang_getNumDiagnostics(unit); i++)
            {
                nint diagnostic = LibClang.clang_getDiagnostic(unit, i);
                if (LibClang.clang_getDiagnosticSeverity(diagnostic) >= CX.DiagnosticError)
                {
                    errors.Add(LibClang.Take(LibClang.clang_formatDiagnostic(diagnostic, 1)));
                }
                LibClang.clang_disposeDiagnostic(diagnostic);
            }
            if (errors.Count > 0)
            {
                LibClang.clang_disposeTranslationUnit(unit);
                throw new FormatException(string.Join("\n", errors));
            }
            return unit;
        }
        finally
        {
            Marshal.FreeCoTaskMem(file);
            foreach (nint arg in native)
            {
                Marshal.FreeCoTaskMem(arg);
            }
        }
    }

    /// <summary>The direct children of a cursor, in source order.</summary>
    public static List<CXCursor> Children(CXCursor parent)
    {
        var children = new List<CXCursor>();
        GCHandle handle = GCHandle.Alloc(children);
        try
        {
            // Non-zero only when a visitor returned Break, which CollectChild never does.
            _ = LibClang.clang_visitChildren(parent, &CollectChild, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        return children;
    }

    [UnmanagedCallersOnly]
    private static int CollectChild(CXCursor cursor, CXCursor parent, nint clientData)
    {
        ((List<CXCursor>)GCHandle.FromIntPtr(clientData).Target!).Add(cursor);
        return CX.VisitContinue;
    }

    private sealed class Output(string className)
    {
        private readonly StringBuilder _functions = new();
        private readonly StringBuilder _constants = new();
        private readonly StringBuilder _types = new();
        private readonly HashSet<string> _emittedTypes = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, string> _inlineArrays = new(StringComparer.Ordinal);

        public void Add(CXCursor cursor)
        {
            string name = LibClang.Take(LibClang.clang_getCursorSpelling(cursor));
            switch (cursor.Kind)
            {
                case CX.CursorFunctionDecl:
                    AddFunction(cursor, name);
                    break;
                case CX.CursorStructDecl:
                    AddStruct(cursor, name);
                    break;
                case CX.CursorEnumDecl:
                    foreach (CXCursor constant in Children(cursor).Where(c => c.Kind == CX.CursorEnumConstantDecl))
                    {
                        string constantName = LibClang.Take(LibClang.clang_getCursorSpelling(constant));
                        long value = LibClang.clang_getEnumConstantDeclValue(constant);
                        _constants.Append($"    public const int {constantName} = {value.ToString(CultureInfo.InvariantCulture)};\n");
                    }
                    break;
                case CX.CursorTypedefDecl:
                    // typedef struct x { ... } x; was written with the struct. A typedef of an
                    // incomplete struct is an opaque handle: an empty struct to point at.
                    CXCursor declaration = LibClang.clang_getTypeDeclaration(
                        LibClang.clang_getCanonicalType(LibClang.clang_getTypedefDeclUnderlyingType(cursor)));
                    if (declaration.Kind == CX.CursorStructDecl && !_emittedTypes.Contains(name)
                        && !Children(declaration).Any(c => c.Kind == CX.CursorFieldDecl))
                    {
                        _emittedTypes.Add(name);
                        _types.Append($"/// <summary>Opaque C type <c>{name}</c>, used only through pointers.</summary>\n");
                        _types.Append($"public struct {name}\n{{\n}}\n\n");
                    }
                    break;
            }
        }

        private void AddFunction(CXCursor cursor, string name)
        {
            string returnType = Map(LibClang.clang_getCursorResultType(cursor), name);
            int count = LibClang.clang_Cursor_getNumArguments(cursor);
            var parameters = new List<string>();
            for (uint i = 0; i < count; i++)
            {
                CXCursor argument = LibClang.clang_Cursor_getArgument(cursor, i);
                string argumentName = LibClang.Take(LibClang.clang_getCursorSpelling(argument));
                if (argumentName.Length == 0)
                {
                    argumentName = $"arg{i}";
                }
                parameters.Add($"{Map(LibClang.clang_getCursorType(argument), name)} {Escape(argumentName)}");
            }
            _functions.Append($"    /// <summary><c>{name}</c>: {Brief(cursor, "C function")}</summary>\n");
            _functions.Append("    [LibraryImport(KernelLibrary.Name)]\n");
            _functions.Append("    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]\n");
            _functions.Append($"    public static partial {returnType} {name}({string.Join(", ", parameters)});\n\n");
        }

        private void AddStruct(CXCursor cursor, string name)
        {
            List<CXCursor> fields = Children(cursor).Where(c => c.Kind == CX.CursorFieldDecl).ToList();
            if (fields.Count == 0 || name.Length == 0 || !_emittedTypes.Add(name))
            {
                return;
            }
            long size = LibClang.clang_Type_getSizeOf(LibClang.clang_getCursorType(cursor));
            _types.Append($"/// <summary><c>{name}</c> ({size.ToString(CultureInfo.InvariantCulture)} bytes, the C compiler's layout): {Brief(cursor, "C struct")}</summary>\n");
            _types.Append($"[StructLayout(LayoutKind.Sequential, Size = {size.ToString(CultureInfo.InvariantCulture)})]\n");
            _types.Append($"public unsafe struct {name}\n{{\n");
            foreach (CXCursor field in fields)
            {
                string fieldName = LibClang.Take(LibClang.clang_getCursorSpelling(field));
                _types.Append($"    /// <summary>{Brief(field, "C field " + fieldName)}</summary>\n");
                CXType type = LibClang.clang_getCursorType(field);
                CXType canonical = LibClang.clang_getCanonicalType(type);
                if (canonical.Kind == CX.TypeConstantArray)
                {
                    long length = LibClang.clang_getArraySize(canonical);
                    CXType element = LibClang.clang_getArrayElementType(type);
                    string elementType = Map(element, name);
                    if (IsPrimitive(elementType))
                    {
                        _types.Append($"    public fixed {elementType} {Escape(fieldName)}[{length.ToString(CultureInfo.InvariantCulture)}];\n");
                    }
                    else
                    {
                        string arrayType = $"{elementType}_x{length.ToString(CultureInfo.InvariantCulture)}";
                        _inlineArrays[arrayType] =
                            $"/// <summary>{length.ToString(CultureInfo.InvariantCulture)} consecutive <c>{elementType}</c> values (a C array field).</summary>\n" +
                            $"[InlineArray({length.ToString(CultureInfo.InvariantCulture)})]\npublic struct {arrayType}\n{{\n    private {elementType} _element0;\n}}\n\n";
                        _types.Append($"    public {arrayType} {Escape(fieldName)};\n");
                    }
                }
                else
                {
                    _types.Append($"    public {Map(type, name)} {Escape(fieldName)};\n");
                }
            }
            _types.Append("}\n\n");
        }

        public string Render(string relativeName)
        {
            var sb = new StringBuilder();
            sb.Append("// <auto-generated>\n");
            sb.Append($"// Generated by bindings/tools/Sipwire.BindGen from {relativeName}; do not edit.\n");
            sb.Append("// Regenerate with `build.ps1 generate`; `build.ps1 verify` fails when this file is stale.\n");
            sb.Append("// </auto-generated>\n");
            sb.Append("// SPDX-License-Identifier: MIT\n\n");
            sb.Append("using System.Runtime.CompilerServices;\nusing System.Runtime.InteropServices;\n\n");
            sb.Append($"namespace {Namespace};\n\n");
            sb.Append($"/// <summary>Functions and constants of <c>{relativeName}</c>.</summary>\n");
            sb.Append($"public static unsafe partial class {className}\n{{\n");
            sb.Append($"    static {className}() => KernelLibrary.Register();\n\n");
            if (_constants.Length > 0)
            {
                sb.Append(_constants).Append('\n');
            }
            sb.Append(_functions.ToString().TrimEnd('\n')).Append("\n}\n\n");
            sb.Append(_types);
            foreach (string inlineArray in _inlineArrays.Values)
            {
                sb.Append(inlineArray);
            }
            return sb.ToString().TrimEnd('\n') + "\n";
        }
    }

    /// <summary>The C# spelling of a C type; fixed-width integers, float, pointers and structs only.</summary>
    private static string Map(CXType type, string context)
    {
        if (type.Kind == CX.TypeElaborated)
        {
            type = LibClang.clang_Type_getNamedType(type);
        }
        if (type.Kind == CX.TypeTypedef)
        {
            string typedefName = LibClang.Take(LibClang.clang_getTypedefName(type));
            if (typedefName == "size_t")
            {
                return "nuint";
            }
            CXType canonicalOfTypedef = LibClang.clang_getCanonicalType(type);
            if (canonicalOfTypedef.Kind == CX.TypeRecord)
            {
                return typedefName;
            }
            return Map(canonicalOfTypedef, context);
        }
        switch (type.Kind)
        {
            case CX.TypeVoid: return "void";
            case CX.TypeCharS: return "byte"; // plain char: UTF-8 text bytes
            case CX.TypeCharU: return "byte";
            case CX.TypeSChar: return "sbyte";
            case CX.TypeUChar: return "byte";
            case CX.TypeShort: return "short";
            case CX.TypeUShort: return "ushort";
            case CX.TypeInt: return "int";
            case CX.TypeUInt: return "uint";
            case CX.TypeLong: return "nint";   // LP64/ILP32 Linux: long is pointer-sized
            case CX.TypeULong: return "nuint";
            case CX.TypeLongLong: return "long";
            case CX.TypeULongLong: return "ulong";
            case CX.TypeFloat: return "float";
            case CX.TypeDouble: return "double";
            case CX.TypeEnum: return "int";
            case CX.TypePointer:
                CXType pointee = LibClang.clang_getPointeeType(type);
                if (LibClang.clang_getCanonicalType(pointee).Kind == CX.TypeFunctionProto)
                {
                    return "nint";
                }
                return Map(pointee, context) + "*";
            case CX.TypeRecord:
                return LibClang.Take(LibClang.clang_getCursorSpelling(LibClang.clang_getTypeDeclaration(type)));
            default:
                string spelling = LibClang.Take(LibClang.clang_getTypeSpelling(type));
                throw new FormatException($"{context}: C type '{spelling}' has no binding (use fixed-width integers, float, pointers or structs)");
        }
    }

    // The header's own Doxygen brief (the C header stays the one source), XML-escaped; a fallback
    // naming the C entity when the header has none.
    private static string Brief(CXCursor cursor, string fallback)
    {
        string text = LibClang.Take(LibClang.clang_Cursor_getBriefCommentText(cursor)).Trim();
        if (text.Length == 0)
        {
            return fallback + ".";
        }
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    private static bool IsPrimitive(string csharpType) =>
        csharpType is "byte" or "sbyte" or "short" or "ushort" or "int" or "uint" or "long" or "ulong" or "float" or "double" or "nint" or "nuint";

    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "in", "out", "ref", "params", "base", "object", "string", "event", "fixed", "checked", "operator", "lock", "internal",
        "public", "private", "protected", "namespace", "class", "struct", "delegate", "default", "is", "as", "new", "this",
        "char", "bool", "decimal", "sizeof", "typeof", "stackalloc", "unchecked", "unsafe", "virtual", "volatile", "while",
    };

    private static string Escape(string name) => s_keywords.Contains(name) ? "@" + name : name;
}
