// SPDX-License-Identifier: MIT
// The part of libclang's C API (clang-c/Index.h) the binding generator uses.

using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Sipwire.BindGen;

/// <summary>CXCursor: an opaque node of the syntax tree, passed by value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CXCursor
{
    public int Kind;
    public int Xdata;
    public nint Data0;
    public nint Data1;
    public nint Data2;
}

/// <summary>CXType: an opaque type, passed by value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CXType
{
    public int Kind;
    public nint Data0;
    public nint Data1;
}

/// <summary>CXString: a string owned by libclang, released with clang_disposeString.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CXString
{
    public nint Data;
    public uint Flags;
}

/// <summary>CXSourceLocation, passed by value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CXSourceLocation
{
    public nint Data0;
    public nint Data1;
    public uint IntData;
}

/// <summary>Cursor and type kinds from clang-c/Index.h (stable across libclang versions).</summary>
internal static class CX
{
    public const int CursorStructDecl = 2;
    public const int CursorEnumDecl = 5;
    public const int CursorFieldDecl = 6;
    public const int CursorEnumConstantDecl = 7;
    public const int CursorFunctionDecl = 8;
    public const int CursorTypedefDecl = 20;

    public const int TypeVoid = 2;
    public const int TypeBool = 3;
    public const int TypeCharU = 4;
    public const int TypeUChar = 5;
    public const int TypeUShort = 8;
    public const int TypeUInt = 9;
    public const int TypeULong = 10;
    public const int TypeULongLong = 11;
    public const int TypeCharS = 13;
    public const int TypeSChar = 14;
    public const int TypeShort = 16;
    public const int TypeInt = 17;
    public const int TypeLong = 18;
    public const int TypeLongLong = 19;
    public const int TypeFloat = 21;
    public const int TypeDouble = 22;
    public const int TypePointer = 101;
    public const int TypeRecord = 105;
    public const int TypeEnum = 106;
    public const int TypeTypedef = 107;
    public const int TypeFunctionProto = 111;
    public const int TypeConstantArray = 112;
    public const int TypeElaborated = 119;

    public const int VisitBreak = 0;
    public const int VisitContinue = 1;

    public const int DiagnosticError = 3;
}

/// <summary>
/// libclang entry points. The library is the system's libclang (Debian's libclang1-14 is in the base
/// image), or the file named by SIPWIRE_LIBCLANG.
/// </summary>
internal static unsafe partial class LibClang
{
    private const string Library = "libclang";

    static LibClang()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibClang).Assembly, Resolve);
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return 0;
        }
        string? configured = Environment.GetEnvironmentVariable("SIPWIRE_LIBCLANG");
        string[] candidates = configured is { Length: > 0 }
            ? [configured]
            : ["/usr/lib/llvm-14/lib/libclang.so.1", "libclang.so.1", "libclang-14.so.1", "libclang.so"];
        foreach (string candidate in candidates)
        {
            if ((Path.IsPathRooted(candidate) ? File.Exists(candidate) : true) && NativeLibrary.TryLoad(candidate, out nint handle))
            {
                return handle;
            }
        }
        throw new DllNotFoundException("libclang not found: install Debian's libclang1-14 or set SIPWIRE_LIBCLANG to the library's path");
    }

    [LibraryImport(Library)]
    public static partial nint clang_createIndex(int excludeDeclarationsFromPch, int displayDiagnostics);

    [LibraryImport(Library)]
    public static partial void clang_disposeIndex(nint index);

    [LibraryImport(Library)]
    public static partial nint clang_parseTranslationUnit(nint index, byte* sourceFilename, byte** commandLineArgs,
        int numCommandLineArgs, nint unsavedFiles, uint numUnsavedFiles, uint options);

    [LibraryImport(Library)]
    public static partial void clang_disposeTranslationUnit(nint unit);

    [LibraryImport(Library)]
    public static partial uint clang_getNumDiagnostics(nint unit);

    [LibraryImport(Library)]
    public static partial nint clang_getDiagnostic(nint unit, uint index);

    [LibraryImport(Library)]
    public static partial int clang_getDiagnosticSeverity(nint diagnostic);

    [LibraryImport(Library)]
    public static partial CXString clang_formatDiagnostic(nint diagnostic, uint options);

    [LibraryImport(Library)]
    public static partial void clang_disposeDiagnostic(nint diagnostic);

    [LibraryImport(Library)]
    public static partial CXCursor clang_getTranslationUnitCursor(nint unit);

    [LibraryImport(Library)]
    public static partial uint clang_visitChildren(CXCursor parent, delegate* unmanaged<CXCursor, CXCursor, nint, int> visitor, nint clientData);

    [LibraryImport(Library)]
    public static partial CXString clang_getCursorSpelling(CXCursor cursor);

    [LibraryImport(Library)]
    public static partial CXType clang_getCursorType(CXCursor cursor);

    [LibraryImport(Library)]
    public static partial CXType clang_getCursorResultType(CXCursor cursor);

    [LibraryImport(Library)]
    public static partial int clang_Cursor_getNumArguments(CXCursor cursor);

    [LibraryImport(Library)]
    public static partial CXCursor clang_Cursor_getArgument(CXCursor cursor, uint index);

    [LibraryImport(Library)]
    public static partial CXSourceLocation clang_getCursorLocation(CXCursor cursor);

    [LibraryImport(Library)]
    public static partial int clang_Location_isFromMainFile(CXSourceLocation location);

    [LibraryImport(Library)]
    public static partial long clang_getEnumConstantDeclValue(CXCursor cursor);

    [LibraryImport(Library)]
    public static partial CXType clang_getTypedefDeclUnderlyingType(CXCursor cursor);

    [LibraryImport(Library)]
    public static partial CXCursor clang_getTypeDeclaration(CXType type);

    [LibraryImport(Library)]
    public static partial CXType clang_getPointeeType(CXType type);

    [LibraryImport(Library)]
    public static partial CXType clang_getCanonicalType(CXType type);

    [LibraryImport(Library)]
    public static partial CXType clang_getArrayElementType(CXType type);

    [LibraryImport(Library)]
    public static partial long clang_getArraySize(CXType type);

    [LibraryImport(Library)]
    public static partial long clang_Type_getSizeOf(CXType type);

    [LibraryImport(Library)]
    public static partial CXString clang_getTypeSpelling(CXType type);

    [LibraryImport(Library)]
    public static partial CXString clang_getTypedefName(CXType type);

    [LibraryImport(Library)]
    public static partial CXType clang_Type_getNamedType(CXType type);

    [LibraryImport(Library)]
    public static partial CXString clang_Cursor_getBriefCommentText(CXCursor cursor);

    [LibraryImport(Library)]
    public static partial byte* clang_getCString(CXString text);

    [LibraryImport(Library)]
    public static partial void clang_disposeString(CXString text);

    /// <summary>Copies a CXString into a managed string and releases it.</summary>
    public static string Take(CXString text)
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)clang_getCString(text)) ?? string.Empty;
        }
        finally
        {
            clang_disposeString(text);
        }
    }
}
