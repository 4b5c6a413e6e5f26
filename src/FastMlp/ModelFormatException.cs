namespace FastMlp;

/// <summary>
/// A model or checkpoint file is not a valid FastMlp file: truncated, corrupt, inconsistent with its own
/// architecture, of the wrong element type, or from a newer format version. The message names the
/// source and the problem.
/// </summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>A model-format error without a message.</summary>
    public ModelFormatException()
    {
    }

    /// <summary>A model-format error; <paramref name="message"/> names the source and the problem.</summary>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>A model-format error caused by <paramref name="innerException"/> (e.g. a read past the end).</summary>
    public ModelFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
