namespace FastMlp.Serialization;

/// <summary>
/// Replaces a file so that, whatever happens (exception, crash, SIGKILL), the path holds either the old
/// complete file or the new complete one: the content goes to a temporary file in the same folder (same
/// file system, so the rename is atomic), is flushed to disk, and is then renamed over the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Test hook: called on the writing thread after the content is written, before flush and rename.</summary>
    [ThreadStatic]
    internal static Action<string>? t_beforeCommit;

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                t_beforeCommit?.Invoke(temporary);
                // fsync before the rename: otherwise a power loss could leave the renamed file empty.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
