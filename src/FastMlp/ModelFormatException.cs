namespace FastMlp;

/// <summary>
/// A model or checkpoint file is not a valid FastMlp file: truncated, corrupt, inconsistent with its own
/// architecture, of the wrong element type, or from a newer format version. The message names the
/// source and the problem.
/// </summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException()
    {
    }

    public ModelFormatException(string message)
        : base(message)
    {
    }

    public ModelFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
