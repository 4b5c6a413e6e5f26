namespace FastMlp.Serialization;

/// <summary>
/// A set of files written as a unit: each is written to a temporary file beside its real target (same file
/// system), flushed to disk, and only <see cref="Commit"/> renames them all into place. Disposing without a commit
/// (an exception, a cancelled or diverged run) deletes every temporary file and leaves existing files untouched.
/// Targets are resolved through symbolic links, and non-regular files are refused (see <see cref="OutputFile"/>).
/// </summary>
internal sealed class StagedFiles : IDisposable
{
    /// <summary>Test hook: called on the writing thread after a file's content is written, before flush.</summary>
    [ThreadStatic]
    internal static Action<string>? t_beforeCommit;

    /// <summary>Each staged file; Flushed once its content is on disk (written through <see cref="Write"/>).</summary>
    private readonly List<(string Temporary, string Target, bool Flushed)> _staged = [];
    private bool _committed;

    /// <summary>Create a target's missing folders (the CLI's output folders); the library's saves do not.</summary>
    public bool CreateDirectories { get; init; }

    /// <summary>Writes <paramref name="path"/>'s future content through <paramref name="write"/> into a temporary file.</summary>
    public void Write(string path, Action<Stream> write)
    {
        (string temporary, FileStream stream) = Create(path);
        using (stream)
        {
            write(stream);
            t_beforeCommit?.Invoke(temporary);
            // fsync before the rename: otherwise a power loss could leave the renamed file empty.
            stream.Flush(flushToDisk: true);
        }
        _staged[^1] = (_staged[^1].Temporary, _staged[^1].Target, true);
    }

    /// <summary>
    /// Creates an empty temporary file for <paramref name="path"/> and returns its name, for writers that only take
    /// a path (plots); it is flushed to disk on <see cref="Commit"/>.
    /// </summary>
    public string Reserve(string path)
    {
        (string temporary, FileStream stream) = Create(path);
        stream.Dispose();
        return temporary;
    }

    /// <summary>Creates the temporary file beside <paramref name="path"/>'s resolved target and records it.</summary>
    private (string Temporary, FileStream Stream) Create(string path)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        string target = OutputFile.Resolve(path);
        string directory = Path.GetDirectoryName(target) ?? ".";
        if (CreateDirectories)
        {
            Directory.CreateDirectory(directory);
        }
        string temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _staged.Add((temporary, target, false));
        return (temporary, stream);
    }

    /// <summary>Flushes to disk the staged files written by path (<see cref="Reserve"/>), then renames each over its target.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        foreach ((string temporary, _, bool flushed) in _staged)
        {
            if (flushed)
            {
                continue;
            }
            using var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            stream.Flush(flushToDisk: true);
        }
        foreach ((string temporary, string target, _) in _staged)
        {
            File.Move(temporary, target, overwrite: true);
        }
        _committed = true;
    }

    /// <summary>Deletes the temporary files of an uncommitted set.</summary>
    public void Dispose()
    {
        foreach ((string temporary, _, _) in _staged)
        {
            TryDelete(temporary);
        }
        _staged.Clear();
        _committed = true;
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
