using System.Globalization;

namespace FastMlp;

/// <summary>
/// A description of an update rule and its hyperparameters (doubles whatever the element type); the
/// <see cref="Trainer{T}"/> owns the state (velocities, moments) in its arena. Formulas follow PyTorch.
/// Weight decay applies to every parameter, biases included.
/// </summary>
public sealed class Optimizer
{
    private Optimizer(OptimizerKind kind, double learningRate, double momentum, bool nesterov, double beta1, double beta2, double epsilon, double weightDecay)
    {
        Kind = kind;
        LearningRate = learningRate;
        Momentum = momentum;
        Nesterov = nesterov;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>The update rule.</summary>
    public OptimizerKind Kind { get; }

    /// <summary>Initial learning rate (a schedule may change it per epoch).</summary>
    public double LearningRate { get; }

    /// <summary>SGD momentum μ (0 = none).</summary>
    public double Momentum { get; }

    /// <summary>SGD: use Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>Adam: decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Adam: decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Adam: added to √v̂ in the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>SGD/Adam: L2 coefficient added to the gradient (g + λ·p); AdamW: decoupled decay p ← p − lr·λ·p.</summary>
    public double WeightDecay { get; }

    /// <summary>
    /// SGD: g ← g + λp; with momentum v ← μv + g and g ← v (or g + μv for Nesterov); p ← p − lr·g.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range (learning rate ≤ 0 or not finite, momentum outside [0, 1), weight decay negative).</exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> is set without momentum.</exception>
    public static Optimizer Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    {
        CheckRate(learningRate);
        Guard.InRange(momentum, 0, 1, "momentum");
        Guard.NonNegative(weightDecay, "Weight decay");
        if (nesterov && momentum == 0)
        {
            ThrowHelper.Argument(nameof(nesterov), "Nesterov momentum needs momentum > 0.");
        }
        return new Optimizer(OptimizerKind.Sgd, learningRate, momentum, nesterov, 0, 0, 0, weightDecay);
    }

    /// <summary>
    /// Adam: g ← g + λp; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂.
    /// </summary>
    public static Optimizer Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        CheckAdam(learningRate, beta1, beta2, epsilon, weightDecay);
        return new Optimizer(OptimizerKind.Adam, learningRate, 0, false, beta1, beta2, epsilon, weightDecay);
    }

    /// <summary>AdamW: p ← p − lr·λ·p, then the Adam step without L2 in the gradient.</summary>
    public static Optimizer AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
    {
        CheckAdam(learningRate, beta1, beta2, epsilon, weightDecay);
        return new Optimizer(OptimizerKind.AdamW, learningRate, 0, false, beta1, beta2, epsilon, weightDecay);
    }

    /// <summary>Optimizer state vectors, each as long as the parameters.</summary>
    internal int StateVectors => Kind == OptimizerKind.Sgd ? (Momentum > 0 ? 1 : 0) : 2;

    /// <summary>The kind and every hyperparameter, e.g. <c>SGD(lr=0.1, momentum=0.9, nesterov=False, weightDecay=0)</c>.</summary>
    public override string ToString() => Kind switch
    {
        OptimizerKind.Sgd => string.Create(CultureInfo.InvariantCulture, $"SGD(lr={LearningRate}, momentum={Momentum}, nesterov={Nesterov}, weightDecay={WeightDecay})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Kind}(lr={LearningRate}, beta1={Beta1}, beta2={Beta2}, epsilon={Epsilon}, weightDecay={WeightDecay})"),
    };

    private static void CheckAdam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    {
        CheckRate(learningRate);
        Guard.InRange(beta1, 0, 1, "beta1");
        Guard.InRange(beta2, 0, 1, "beta2");
        Guard.Positive(epsilon, "Epsilon");
        Guard.NonNegative(weightDecay, "Weight decay");
    }

    internal static void CheckRate(double learningRate, string name = "learningRate") => Guard.Positive(learningRate, "Learning rate", name);
}
