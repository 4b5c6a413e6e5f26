
namespace FastMlp;

/// <summary>The update rule an <see cref="Optimizer"/> describes.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent, optionally with (Nesterov) momentum and L2 weight decay.</summary>
    Sgd,

    /// <summary>Adam with L2 weight decay added to the gradient (PyTorch <c>Adam</c>).</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (PyTorch <c>AdamW</c>).</summary>
    AdamW,
}
