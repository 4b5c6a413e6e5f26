namespace FastMlp.Verification;

/// <summary>Progress of <see cref="GradientCheck.Run{T}"/>: parameters done of the total to check, and the layer being checked.</summary>
public readonly record struct GradientCheckProgress(int Done, int Total, int Layer);
