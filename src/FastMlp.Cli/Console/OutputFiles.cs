using FastMlp.Serialization;

namespace FastMlp.Cli;

/// <summary>
/// The files one command writes, checked before any work starts and written as a unit at the end: each is staged
/// beside its target and only <see cref="Commit"/> renames them all into place. A run that fails, diverges or is
/// cancelled disposes the set uncommitted, which deletes the staged files and leaves every existing file as it was.
/// </summary>
internal sealed class OutputFiles(CancellationToken cancellation = default) : IDisposable
{
    private readonly StagedFiles _staged = new() { CreateDirectories = true };
    private readonly Dictionary<string, string> _optionOf = new(StringComparer.Ordinal);

    /// <summary>
    /// Checks that each path can be written (not a folder or device, through symbolic links; its folder exists or
    /// can be created, and is writable) and throws a <see cref="CliException"/> naming <paramref name="option"/> if not.
    /// </summary>
    public void Plan(string option, params string[] paths)
    {
        foreach (string path in paths)
        {
            string target;
            try
            {
                target = OutputFile.Resolve(path);
            }
            catch (IOException e)
            {
                throw new CliException($"{option}: {e.Message}");
            }
            CheckFolder(option, path, Path.GetDirectoryName(target) ?? ".");
            _optionOf[path] = option;
        }
    }

    /// <summary>Stages <paramref name="path"/>'s content (it must have been planned).</summary>
    public void Write(string path, Action<Stream> write) => Guard(path, () => _staged.Write(path, write));

    /// <summary>A temporary file standing in for <paramref name="path"/> until the commit (for writers that take a path).</summary>
    public string Reserve(string path)
    {
        string temporary = "";
        Guard(path, () => temporary = _staged.Reserve(path));
        return temporary;
    }

    /// <summary>
    /// Renames every staged file into place, unless SIGINT/SIGTERM arrived (then nothing is written and the command
    /// exits 130) and <paramref name="evenIfCancelled"/> is false.
    /// </summary>
    public void Commit(bool evenIfCancelled = false)
    {
        if (cancellation.IsCancellationRequested && !evenIfCancelled)
        {
            throw Cancelled.NothingWritten(string.Join(", ", _optionOf.Keys.Select(p => Path.GetDirectoryName(Path.GetFullPath(p))).Distinct()));
        }
        _staged.Commit();
    }

    public void Dispose() => _staged.Dispose();

    private void Guard(string path, Action action)
    {
        if (!_optionOf.TryGetValue(path, out string? option))
        {
            throw new InvalidOperationException($"Output {path} was not planned before the run.");
        }
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option}: cannot write {path} ({e.Message.ReplaceLineEndings(" ")}).");
        }
    }

    /// <summary>The nearest existing ancestor of <paramref name="folder"/> must be a folder we can create files in.</summary>
    private static void CheckFolder(string option, string path, string folder)
    {
        string existing = folder;
        while (OutputFile.Kind(existing) == OutputFile.NodeKind.Missing)
        {
            string? parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                break;
            }
            existing = parent;
        }
        OutputFile.NodeKind kind = OutputFile.Kind(existing);
        if (kind == OutputFile.NodeKind.SymbolicLink)
        {
            kind = Directory.Exists(existing) ? OutputFile.NodeKind.Directory : OutputFile.NodeKind.Other;
        }
        if (kind != OutputFile.NodeKind.Directory)
        {
            throw new CliException($"{option}: cannot write {path}: {existing} is not a folder.");
        }
        string probe = Path.Combine(existing, $".fastmlp-probe.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option}: cannot write {path}: the folder {existing} is not writable ({e.Message.ReplaceLineEndings(" ")}).");
        }
    }
}
