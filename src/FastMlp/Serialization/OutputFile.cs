using System.Runtime.InteropServices;

namespace FastMlp.Serialization;

/// <summary>
/// Where a save really goes: a symbolic link is followed to its final target (so the link survives and its target
/// is replaced), and anything that is not a regular file — a folder, a device such as /dev/full, a FIFO, a socket —
/// is refused before a byte is written, because renaming a new file over it would replace the node itself.
/// </summary>
internal static partial class OutputFile
{
    /// <summary>The kind of file system node at a path (without following a final symbolic link).</summary>
    internal enum NodeKind
    {
        Missing,
        RegularFile,
        Directory,
        SymbolicLink,
        Other,
    }

    /// <summary>
    /// The absolute path that a save to <paramref name="path"/> must replace: the final target of a symbolic link
    /// (which need not exist yet), else the path itself. Throws <see cref="IOException"/> naming the path when it is
    /// not a regular file, or when the folder it goes in is not a folder.
    /// </summary>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string target = full;
        if (Kind(full) == NodeKind.SymbolicLink)
        {
            FileSystemInfo? final = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            target = final is null ? full : Path.GetFullPath(final.FullName);
        }
        NodeKind kind = Kind(target);
        if (kind is not (NodeKind.Missing or NodeKind.RegularFile))
        {
            string what = kind switch
            {
                NodeKind.Directory => "a folder",
                NodeKind.SymbolicLink => "a symbolic link that cannot be resolved (a loop?)",
                _ => "a device, FIFO or socket",
            };
            string via = target == full ? "" : $" (the symbolic link points to {target})";
            throw new IOException($"{path}: is {what}{via}, not a regular file; refusing to replace it.");
        }
        string? directory = Path.GetDirectoryName(target);
        if (directory is not null && Kind(directory) is not (NodeKind.Missing or NodeKind.Directory))
        {
            throw new IOException($"{path}: {directory} is not a folder.");
        }
        return target;
    }

    /// <summary>The node at <paramref name="path"/>; on Linux read with statx, elsewhere approximated.</summary>
    public static NodeKind Kind(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return LinuxKind(path);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // A C library without statx: fall through to the portable approximation.
            }
        }
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return NodeKind.SymbolicLink;
        }
        return Directory.Exists(path) ? NodeKind.Directory : info.Exists ? NodeKind.RegularFile : NodeKind.Missing;
    }

    private static unsafe NodeKind LinuxKind(string path)
    {
        const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100;
        const uint StatxType = 1;
        // struct statx has the same layout on every Linux architecture: stx_mode is the u16 at offset 28.
        byte* buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            const int ENOENT = 2, ENOTDIR = 20;
            return errno is ENOENT or ENOTDIR ? NodeKind.Missing
                : throw new IOException($"{path}: cannot inspect the file ({Marshal.GetPInvokeErrorMessage(errno)}).");
        }
        int type = *(ushort*)(buffer + 28) & 0xF000;
        return type switch
        {
            0x8000 => NodeKind.RegularFile,
            0x4000 => NodeKind.Directory,
            0xA000 => NodeKind.SymbolicLink,
            _ => NodeKind.Other,
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
