namespace FastMlp.Serialization;

/// <summary>
/// Replaces a file so that, whatever happens (exception, crash, SIGKILL), the path holds either the old
/// complete file or the new complete one: the content goes to a temporary file in the same folder (same
/// file system, so the rename is atomic), is flushed to disk, and is then renamed over the target. A symbolic
/// link is written through (its target is replaced, the link kept); folders and devices are refused.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        using var files = new StagedFiles();
        files.Write(path, write);
        files.Commit();
    }
}
