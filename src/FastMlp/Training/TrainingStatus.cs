namespace FastMlp;

/// <summary>Why a fit ended.</summary>
public enum TrainingStatus
{
    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary><see cref="EarlyStopping"/> ended the fit.</summary>
    EarlyStopped,

    /// <summary>The loss became NaN/∞ or exploded; the last good weights were restored.</summary>
    Diverged,

    /// <summary>The cancellation token was signalled; the weights are those after the last completed step.</summary>
    Cancelled,
}
